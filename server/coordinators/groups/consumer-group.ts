/**
 * One consumer group's in-memory state: its members, generation, assignor and lifecycle state.
 *
 * The lifecycle is an explicit discriminated union (HOUSE-STYLE habit 10), derived after every
 * change from what the members hold, each phase carrying only what is valid in it:
 * - Empty               no members (committed offsets may exist; resetOffsets is allowed only here);
 * - PreparingRebalance  some members are giving partitions up (revoking) and have not acknowledged;
 *                       partitions moving to other members wait for them;
 * - CompletingRebalance nothing is being revoked, but some members have not acknowledged the
 *                       assignment of the current generation yet;
 * - Stable              every member acknowledged its current assignment;
 * - Dead                deleted (deleteGroup); the coordinator drops it from its map.
 *
 * Generation: bumped whenever membership changes or any member's assignment changes, so a
 * cooperative move of partition p from A to B spans two generations (revoke in N, assign in N+1).
 *
 * Not safe for concurrent use; only GroupCoordinator calls it, on the event loop.
 */
import { ASSIGNORS, type AssignorName } from './assignors';
import type { GroupMember } from './group-member';
import { reconcile, toTargetKeys, type MemberChange, type TargetKeys } from './reconcile';

export type GroupState =
  | { readonly name: 'Empty'; readonly sinceMs: number }
  | { readonly name: 'PreparingRebalance'; readonly sinceMs: number; readonly revokingMemberIds: readonly string[] }
  | { readonly name: 'CompletingRebalance'; readonly sinceMs: number; readonly awaitingAckMemberIds: readonly string[] }
  | { readonly name: 'Stable'; readonly sinceMs: number }
  | { readonly name: 'Dead'; readonly sinceMs: number };

export type GroupStateName = GroupState['name'];

/**
 * Why a rebalance runs: 'membership' (a member joined, left, expired or changed its topics: a new
 * generation and a new target), 'topics' (partition counts changed: a new target), 'handoff'
 * (revocations were acknowledged: hand out the target computed when they were issued).
 */
export type RebalanceReason = 'membership' | 'topics' | 'handoff';

export function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [topic, count] of a) if (b.get(topic) !== count) return false;
  return true;
}

function memberIdsOf(state: GroupState): readonly string[] {
  switch (state.name) {
    case 'PreparingRebalance':
      return state.revokingMemberIds;
    case 'CompletingRebalance':
      return state.awaitingAckMemberIds;
    default:
      return [];
  }
}

/** Same phase and same phase data (sinceMs aside). */
function sameState(a: GroupState, b: GroupState): boolean {
  const idsA = memberIdsOf(a);
  const idsB = memberIdsOf(b);
  return a.name === b.name && idsA.length === idsB.length && idsA.every((id, i) => id === idsB[i]);
}

export class ConsumerGroup {
  readonly groupId: string;
  generationId: number;
  protocol: AssignorName | null;
  state: GroupState;
  readonly members = new Map<string, GroupMember>();
  /** groupInstanceId → memberId, for static members. */
  readonly instanceIds = new Map<string, string>();
  /**
   * The topics the group consumes: its members' subscriptions, kept when the last member leaves
   * (Kafka keeps them in the group metadata) so its lag still covers partitions it never
   * committed. Sorted; a deleted topic is dropped (forgetTopic).
   */
  topics: readonly string[] = [];
  /** Partition count of each subscribed topic when the target was last computed (tick() compares). */
  partitionCounts = new Map<string, number>();
  /**
   * The target the members are converging to. Kept between a revocation and its acknowledgement
   * so the revoked partitions go to the member chosen when they were revoked, and so an
   * acknowledgement costs O(partitions) instead of a new assignor run.
   */
  private target: TargetKeys | null = null;

  constructor(groupId: string, generationId: number, protocol: AssignorName | null, nowMs: number) {
    this.groupId = groupId;
    this.generationId = generationId;
    this.protocol = protocol;
    this.state = { name: 'Empty', sinceMs: nowMs };
  }

  addMember(member: GroupMember): void {
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.instanceIds.set(member.groupInstanceId, member.memberId);
  }

  removeMember(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    this.members.delete(memberId);
    if (member.groupInstanceId !== null) this.instanceIds.delete(member.groupInstanceId);
    return member;
  }

  /** The partition counts of every subscribed topic now (unknown topics count 0). */
  currentPartitionCounts(partitionCount: (topic: string) => number | null): Map<string, number> {
    const counts = new Map<string, number>();
    for (const member of this.members.values()) {
      for (const topic of member.topics) if (!counts.has(topic)) counts.set(topic, partitionCount(topic) ?? 0);
    }
    return counts;
  }

  /**
   * Applies the target revoke-first (recomputing it with the group's assignor unless this is a
   * handoff with unchanged partition counts). Bumps the generation on a membership change or when
   * any assignment changed; changed members must acknowledge the new generation within their
   * rebalance timeout.
   */
  rebalance(partitionCount: (topic: string) => number | null, monotonicNowMs: number, reason: RebalanceReason): Map<string, MemberChange> {
    const counts = this.currentPartitionCounts(partitionCount);
    if (this.members.size > 0) {
      const topics = [...counts.keys()].filter((topic) => partitionCount(topic) !== null).sort();
      if (topics.join('\u0000') !== this.topics.join('\u0000')) this.topics = topics; // a new array only on a change: callers compare by identity
    }
    if (reason !== 'handoff' || this.target === null || !sameCounts(counts, this.partitionCounts)) {
      this.partitionCounts = counts;
      const inputs = [...this.members.values()].map((member) => ({
        memberId: member.memberId,
        sortKey: member.groupInstanceId ?? member.memberId,
        topics: member.topics,
        owned: member.ownedPartitions(),
      }));
      this.target = toTargetKeys(ASSIGNORS[this.protocol ?? 'cooperative-sticky'].assign(inputs, counts));
    }
    const nextGenerationId = this.generationId + 1;
    const changes = reconcile(this.members, this.target, nextGenerationId);
    const membershipChanged = reason === 'membership';
    if (changes.size > 0 || membershipChanged) this.generationId = nextGenerationId;
    for (const memberId of changes.keys()) {
      const member = this.members.get(memberId)!;
      member.generationId = this.generationId;
      member.pendingAck = member.connected
        ? { generationId: this.generationId, deadlineMonotonicMs: monotonicNowMs + member.rebalanceTimeoutMs }
        : null;
    }
    return changes;
  }

  /** Re-derives the lifecycle state; returns true when it changed. */
  refreshState(nowMs: number /* wall clock, for sinceMs */): boolean {
    if (this.state.name === 'Dead') return false;
    const previous = this.state;
    const members = [...this.members.values()];
    const revoking = members.filter((m) => m.revoking.size > 0).map((m) => m.memberId);
    const awaiting = members.filter((m) => m.pendingAck !== null).map((m) => m.memberId);
    let next: GroupState;
    if (members.length === 0) next = { name: 'Empty', sinceMs: nowMs };
    else if (revoking.length > 0) next = { name: 'PreparingRebalance', sinceMs: nowMs, revokingMemberIds: revoking };
    else if (awaiting.length > 0) next = { name: 'CompletingRebalance', sinceMs: nowMs, awaitingAckMemberIds: awaiting };
    else next = { name: 'Stable', sinceMs: nowMs };
    if (sameState(next, previous)) return false;
    this.state = next.name === previous.name ? { ...next, sinceMs: previous.sinceMs } : next;
    return true;
  }

  forgetTopic(topic: string): void {
    this.topics = this.topics.filter((t) => t !== topic);
  }

  markDead(nowMs: number): void {
    this.state = { name: 'Dead', sinceMs: nowMs };
  }
}
