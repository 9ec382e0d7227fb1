/**
 * Kafka's RangeAssignor: per topic, the members subscribed to it (in `sortKey` order) get
 * contiguous ranges of partitions; the first `partitionCount % memberCount` members get one
 * extra. 7 partitions over 3 members → [0,1,2] [3,4] [5,6]. Not sticky: a membership change
 * can move many partitions (the coordinator still hands them over revoke-first).
 */
import { sortTopicPartitions } from '../topic-partition';
import { emptyAssignment, sortMembers, subscribedTopics, type Assignor, type AssignorMember, type TargetAssignment } from './assignor';

export function assignRange(members: readonly AssignorMember[], counts: ReadonlyMap<string, number>): TargetAssignment {
  const result = emptyAssignment(members);
  const ordered = sortMembers(members);
  for (const topic of subscribedTopics(members, counts)) {
    const consumers = ordered.filter((member) => member.topics.includes(topic));
    const partitionCount = counts.get(topic)!;
    const perMember = Math.floor(partitionCount / consumers.length);
    const extra = partitionCount % consumers.length;
    let next = 0;
    consumers.forEach((member, index) => {
      const take = perMember + (index < extra ? 1 : 0);
      const list = result.get(member.memberId)!;
      for (let i = 0; i < take; i++) list.push({ topic, partition: next++ });
    });
  }
  for (const [memberId, list] of result) result.set(memberId, sortTopicPartitions(list));
  return result;
}

export const rangeAssignor: Assignor = { name: 'range', assign: assignRange };
