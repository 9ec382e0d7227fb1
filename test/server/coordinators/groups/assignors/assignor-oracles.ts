/** Oracles shared by the assignor tests: exactly-once coverage, balance, minimum moves. */
import type { AssignorMember, TargetAssignment } from '../../../../../server/coordinators/groups/assignors';
import { tpKey } from '../../../../../server/coordinators/groups/topic-partition';

/** Throws with a readable message unless every subscribed partition has exactly one eligible owner. */
export function checkCoverage(members: readonly AssignorMember[], counts: ReadonlyMap<string, number>, result: TargetAssignment): void {
  const owners = new Map<string, string>();
  const byId = new Map(members.map((m) => [m.memberId, m]));
  if (result.size !== members.length) throw new Error(`result has ${result.size} members, input ${members.length}`);
  for (const [memberId, list] of result) {
    const member = byId.get(memberId);
    if (!member) throw new Error(`unknown member ${memberId} in result`);
    for (const tp of list) {
      if (!member.topics.includes(tp.topic)) throw new Error(`${memberId} got ${tp.topic} it does not subscribe to`);
      if (tp.partition < 0 || tp.partition >= (counts.get(tp.topic) ?? 0)) throw new Error(`bad partition ${tp.topic}-${tp.partition}`);
      const key = tpKey(tp);
      if (owners.has(key)) throw new Error(`${tp.topic}-${tp.partition} assigned to ${owners.get(key)} and ${memberId}`);
      owners.set(key, memberId);
    }
  }
  const topics = new Set(members.flatMap((m) => m.topics));
  for (const topic of topics) {
    for (let p = 0; p < (counts.get(topic) ?? 0); p++) {
      if (!owners.has(tpKey({ topic, partition: p }))) throw new Error(`${topic}-${p} unassigned`);
    }
  }
}

export function spread(result: TargetAssignment): number {
  const sizes = [...result.values()].map((l) => l.length);
  return sizes.length === 0 ? 0 : Math.max(...sizes) - Math.min(...sizes);
}

/** Partitions some member owned before and owns no longer (i.e. that had to be revoked). */
export function movedCount(members: readonly AssignorMember[], result: TargetAssignment): number {
  let moved = 0;
  for (const member of members) {
    const now = new Set((result.get(member.memberId) ?? []).map(tpKey));
    for (const tp of member.owned) if (!now.has(tpKey(tp))) moved++;
  }
  return moved;
}

/**
 * The fewest owned partitions that must move when all members subscribe to the same topics and
 * every owned partition is valid and owned once: the `total % members` members owning the most
 * get the larger quota; everyone sheds what exceeds their quota.
 */
export function minimumMoves(members: readonly AssignorMember[], totalPartitions: number): number {
  const quota = Math.floor(totalPartitions / members.length);
  const larger = totalPartitions % members.length;
  const owned = members.map((m) => m.owned.length).sort((a, b) => b - a);
  return owned.reduce((sum, count, index) => sum + Math.max(0, count - (quota + (index < larger ? 1 : 0))), 0);
}
