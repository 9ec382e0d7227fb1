/**
 * The partition assignor contract. An assignor is a pure function: given the members (their
 * subscribed topics and the partitions they currently own) and the partition count of every
 * subscribed topic, it returns the *target* assignment, one list per member. It never sees time,
 * the catalog or other groups, so it is tested with oracles alone.
 *
 * How a target becomes real (revoke first, hand out after the revocation is acknowledged) is the
 * coordinator's job, identical for every assignor: see ../reconcile.ts.
 *
 * Contract every implementation keeps (checked by test/server/coordinators/groups/assignors):
 * - every partition of a topic someone subscribes to is assigned to exactly one member that
 *   subscribes to it; no member gets a partition of a topic it does not subscribe to;
 * - every member id of the input appears in the output (possibly with an empty list);
 * - the output is deterministic for a given input (members are ordered by `sortKey`).
 */
import type { TopicPartition } from '../topic-partition';

export type AssignorName = 'range' | 'roundrobin' | 'cooperative-sticky';

export interface AssignorMember {
  readonly memberId: string;
  /**
   * Orders members: the static `groupInstanceId` when there is one, else the member id, so a
   * static member that comes back under the same instance id lands on the same partitions.
   */
  readonly sortKey: string;
  readonly topics: readonly string[];
  /** What the member owns now (only the sticky assignor reads it). */
  readonly owned: readonly TopicPartition[];
}

/** memberId → the partitions that member should own, sorted by (topic, partition). */
export type TargetAssignment = Map<string, TopicPartition[]>;

export interface Assignor {
  readonly name: AssignorName;
  assign(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>): TargetAssignment;
}

export function sortMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => (a.sortKey === b.sortKey ? (a.memberId < b.memberId ? -1 : 1) : a.sortKey < b.sortKey ? -1 : 1));
}

/** Every topic some member subscribes to, sorted; topics with no known partition count are skipped. */
export function subscribedTopics(members: readonly AssignorMember[], counts: ReadonlyMap<string, number>): string[] {
  const topics = new Set<string>();
  for (const member of members) for (const topic of member.topics) if ((counts.get(topic) ?? 0) > 0) topics.add(topic);
  return [...topics].sort();
}

export function emptyAssignment(members: readonly AssignorMember[]): TargetAssignment {
  return new Map(members.map((member) => [member.memberId, []]));
}
