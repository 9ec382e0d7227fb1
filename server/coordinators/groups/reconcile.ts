/**
 * Turns a target assignment into the members' actual assignments, revoke-first: the handoff
 * protocol every assignor goes through (the cooperative protocol, stated in full in
 * assignors/cooperative-sticky.ts).
 *
 * For each member, in one generation:
 * - an owned partition the target takes away becomes REVOKING (the member stops fetching it and
 *   may still commit it until it acknowledges); a member that is not connected (a static member
 *   between connections) fetches nothing, so its partition is released at once;
 * - a target partition nobody holds (owns or is revoking) is ASSIGNED now;
 * - a target partition someone else still holds is left for a later generation: the coordinator
 *   re-runs the assignor after each acknowledgement, member departure or expiry.
 * So no partition is ever owned by two members, and unaffected partitions never stop.
 *
 * Mutates the members it is given; synchronous; called only by ConsumerGroup.
 */
import type { TargetAssignment } from './assignors';
import type { GroupMember } from './group-member';
import { tpKey } from './topic-partition';

export interface MemberChange {
  /** Partition keys the member got in this generation. */
  readonly added: string[];
  /** Partition keys taken from the member in this generation (revoking, or released if disconnected). */
  readonly revoked: string[];
}

function revokeUntargeted(member: GroupMember, targetKeys: ReadonlySet<string>, generationId: number, change: MemberChange): void {
  for (const [key, assignedInGeneration] of member.owned) {
    if (targetKeys.has(key)) continue;
    member.owned.delete(key);
    member.paused.delete(key);
    change.revoked.push(key);
    if (member.connected) {
      member.revoking.set(key, { assignedInGeneration, revokedInGeneration: generationId });
    } else {
      member.delivered.delete(key);
    }
  }
}

/** memberId → the partition keys of its target: built once per target, reused by every handoff. */
export type TargetKeys = ReadonlyMap<string, ReadonlySet<string>>;

export function toTargetKeys(target: TargetAssignment): TargetKeys {
  return new Map([...target].map(([memberId, list]) => [memberId, new Set(list.map(tpKey))]));
}

const NO_KEYS: ReadonlySet<string> = new Set();

export function reconcile(members: ReadonlyMap<string, GroupMember>, target: TargetKeys, generationId: number): Map<string, MemberChange> {
  const changes = new Map<string, MemberChange>();
  const changeOf = (memberId: string): MemberChange => {
    let change = changes.get(memberId);
    if (!change) changes.set(memberId, (change = { added: [], revoked: [] }));
    return change;
  };
  for (const member of members.values()) {
    const targetKeys = target.get(member.memberId) ?? NO_KEYS;
    const change: MemberChange = { added: [], revoked: [] };
    revokeUntargeted(member, targetKeys, generationId, change);
    if (change.revoked.length > 0) changes.set(member.memberId, change);
  }
  const held = new Set<string>();
  for (const member of members.values()) {
    for (const key of member.owned.keys()) held.add(key);
    for (const key of member.revoking.keys()) held.add(key);
  }
  for (const member of members.values()) {
    for (const key of target.get(member.memberId) ?? NO_KEYS) {
      if (member.owned.has(key) || held.has(key)) continue;
      member.owned.set(key, generationId);
      held.add(key);
      changeOf(member.memberId).added.push(key);
    }
  }
  return changes;
}
