/**
 * Kafka's RoundRobinAssignor: every subscribed partition, sorted by (topic, partition), is dealt
 * to the members in `sortKey` order, skipping members that do not subscribe to its topic. With
 * equal subscriptions counts differ by at most one. Not sticky.
 */
import { sortTopicPartitions } from '../topic-partition';
import { emptyAssignment, sortMembers, subscribedTopics, type Assignor, type AssignorMember, type TargetAssignment } from './assignor';

export function assignRoundRobin(members: readonly AssignorMember[], counts: ReadonlyMap<string, number>): TargetAssignment {
  const result = emptyAssignment(members);
  const ordered = sortMembers(members);
  if (ordered.length === 0) return result;
  let cursor = 0;
  for (const topic of subscribedTopics(members, counts)) {
    for (let partition = 0; partition < counts.get(topic)!; partition++) {
      // At least one member subscribes to `topic` (subscribedTopics), so this loop ends within one lap.
      while (!ordered[cursor % ordered.length]!.topics.includes(topic)) cursor++;
      result.get(ordered[cursor % ordered.length]!.memberId)!.push({ topic, partition });
      cursor++;
    }
  }
  for (const [memberId, list] of result) result.set(memberId, sortTopicPartitions(list));
  return result;
}

export const roundRobinAssignor: Assignor = { name: 'roundrobin', assign: assignRoundRobin };
