/**
 * Kafka's CooperativeStickyAssignor, server-side: the target is *balanced* (with equal
 * subscriptions, member partition counts differ by at most one) and *sticky* (a member keeps
 * every partition it owns unless balance requires giving it up; with equal subscriptions the
 * number of moved partitions is the minimum possible).
 *
 * Algorithm (deterministic; members in `sortKey` order):
 * 1. keep: each member keeps the partitions it owns that still exist and that it still subscribes
 *    to (if two members claim one partition, the first in order keeps it);
 * 2. place: every other partition, most-constrained first (fewest eligible members), goes to the
 *    eligible member with the fewest partitions;
 * 3. balance: while some member A has at least two more partitions than an eligible member B,
 *    move one of A's partitions to B (preferring partitions placed in step 2, which cost no
 *    revocation). Each move lowers Σ load² by at least 2, so the loop ends; with 1,000 partitions
 *    over 100 members it makes at most a few hundred moves.
 *
 * The cooperative protocol (implemented by ../reconcile.ts for every assignor, and why this one
 * is the default): when the target moves partition p from member A to member B,
 *   generation N:   A's assignment loses p and A is told p is REVOKED. A stops fetching p,
 *                   may commit its offset for p (commits for a revoking partition are still
 *                   accepted from A), then acknowledges generation N. B does not get p yet.
 *                   Every partition that does not move stays assigned and keeps being consumed.
 *   generation N+1: once A acknowledged (or A left / its session expired / it missed the
 *                   rebalance timeout), p is free and is ASSIGNED to B, starting at the group's
 *                   committed offset for p — so nothing A did not commit is skipped.
 * No partition ever has two owners in the same generation.
 */
import { compareTopicPartitions, sortTopicPartitions, tpFromKey, tpKey, type TopicPartition } from '../topic-partition';
import { sortMembers, subscribedTopics, type Assignor, type AssignorMember, type TargetAssignment } from './assignor';

interface Slot {
  readonly member: AssignorMember;
  readonly order: number;
  readonly kept: Set<string>;
  readonly placed: Set<string>;
}

const load = (slot: Slot): number => slot.kept.size + slot.placed.size;

function allPartitions(members: readonly AssignorMember[], counts: ReadonlyMap<string, number>): TopicPartition[] {
  const list: TopicPartition[] = [];
  for (const topic of subscribedTopics(members, counts)) {
    for (let partition = 0; partition < counts.get(topic)!; partition++) list.push({ topic, partition });
  }
  return list;
}

function keepOwned(slots: readonly Slot[], counts: ReadonlyMap<string, number>): Set<string> {
  const claimed = new Set<string>();
  for (const slot of slots) {
    for (const tp of sortTopicPartitions(slot.member.owned)) {
      const key = tpKey(tp);
      const valid = slot.member.topics.includes(tp.topic) && tp.partition < (counts.get(tp.topic) ?? 0);
      if (valid && !claimed.has(key)) {
        claimed.add(key);
        slot.kept.add(key);
      }
    }
  }
  return claimed;
}

function leastLoaded(candidates: readonly Slot[]): Slot {
  let best = candidates[0]!;
  for (const slot of candidates) if (load(slot) < load(best)) best = slot;
  return best;
}

function placeUnowned(slots: readonly Slot[], partitions: readonly TopicPartition[], claimed: Set<string>): void {
  const eligibleByTopic = new Map<string, Slot[]>();
  for (const tp of partitions) {
    if (!eligibleByTopic.has(tp.topic)) {
      eligibleByTopic.set(
        tp.topic,
        slots.filter((slot) => slot.member.topics.includes(tp.topic)),
      );
    }
  }
  const free = partitions
    .filter((tp) => !claimed.has(tpKey(tp)))
    .sort((a, b) => eligibleByTopic.get(a.topic)!.length - eligibleByTopic.get(b.topic)!.length || compareTopicPartitions(a, b));
  for (const tp of free) leastLoaded(eligibleByTopic.get(tp.topic)!).placed.add(tpKey(tp));
}

/** One balancing move, or false when no member is two above an eligible member. */
function moveOne(slots: readonly Slot[]): boolean {
  const byLoadDesc = [...slots].sort((a, b) => load(b) - load(a) || a.order - b.order);
  const byLoadAsc = [...byLoadDesc].reverse();
  for (const donor of byLoadDesc) {
    for (const receiver of byLoadAsc) {
      if (load(receiver) > load(donor) - 2) break;
      const movable = (keys: Set<string>): string | undefined =>
        [...keys]
          .filter((key) => receiver.member.topics.includes(tpFromKey(key).topic))
          .sort()
          .pop();
      const fromPlaced = movable(donor.placed);
      const key = fromPlaced ?? movable(donor.kept);
      if (key === undefined) continue;
      (fromPlaced !== undefined ? donor.placed : donor.kept).delete(key);
      receiver.placed.add(key);
      return true;
    }
  }
  return false;
}

export function assignCooperativeSticky(members: readonly AssignorMember[], counts: ReadonlyMap<string, number>): TargetAssignment {
  const slots: Slot[] = sortMembers(members).map((member, order) => ({ member, order, kept: new Set(), placed: new Set() }));
  const claimed = keepOwned(slots, counts);
  placeUnowned(slots, allPartitions(members, counts), claimed);
  // Bound: each move lowers Σ load² by ≥ 2 and Σ load² ≤ partitions², so this cannot loop forever.
  while (moveOne(slots));
  const result: TargetAssignment = new Map();
  for (const slot of slots) {
    result.set(slot.member.memberId, sortTopicPartitions([...slot.kept, ...slot.placed].map(tpFromKey)));
  }
  return result;
}

export const cooperativeStickyAssignor: Assignor = { name: 'cooperative-sticky', assign: assignCooperativeSticky };
