/**
 * Consumer groups (built against docs/GRAPHQL-API.md): the list, one group, its live lag
 * (Subscription.groupLag), committing and resetting offsets. The documents are in groups.graphql;
 * their shapes come from the contract (generated/operations.ts).
 */
import {
  ConsumerGroupDocument,
  ConsumerGroupsDocument,
  GroupLagDocument,
  GroupTotalsDocument,
  ResetOffsetsDocument,
  TopicGroupsDocument,
  type ConsumerGroupsQuery,
  type GroupFieldsFragment,
  type GroupState,
  type GroupTotalsQuery,
  type ResetOffsetsMutation,
  type ResetTarget,
  type TopicGroupsQuery,
} from './generated/operations';
import { request } from './graphql';
import { subscribeRetrying, type LiveHandlers } from './live';

export type { GroupState, ResetTarget };

const STATE_WORDS: Record<GroupState, string> = {
  EMPTY: 'Empty',
  PREPARING_REBALANCE: 'Preparing rebalance',
  COMPLETING_REBALANCE: 'Completing rebalance',
  STABLE: 'Stable',
  DEAD: 'Dead',
};

export function stateInWords(state: GroupState): string {
  return STATE_WORDS[state] ?? state;
}

export type ConsumerGroup = GroupFieldsFragment;
/** `timeLagMs`: age of the oldest uncommitted record in ms; 0 when caught up, null when unknown. */
export type ConsumerGroupSummary = ConsumerGroupsQuery['consumerGroups'][number];

export async function fetchGroups(signal?: AbortSignal): Promise<ConsumerGroupSummary[]> {
  return (await request(ConsumerGroupsDocument, {}, signal)).consumerGroups;
}

export async function fetchGroup(id: string, signal?: AbortSignal): Promise<ConsumerGroup | null> {
  return (await request(ConsumerGroupDocument, { id }, signal)).consumerGroup;
}

/** The group, pushed when its lag or membership changes. */
export function watchGroup(group: string, handlers: LiveHandlers<ConsumerGroup>): () => void {
  return subscribeRetrying(GroupLagDocument, () => ({ group }), {
    next: (data) => handlers.next(data.groupLag),
    error: handlers.error,
    complete: handlers.complete,
  });
}

type TopicGroupAnswer = NonNullable<TopicGroupsQuery['topic']>['consumerGroups'][number];

/** A group reading a topic; `offsets`: this topic's partitions only. */
export type TopicGroup = Omit<TopicGroupAnswer, 'offsets'> & { offsets: Omit<TopicGroupAnswer['offsets'][number], 'topic'>[] };

/** The groups reading a topic (a member subscribed to it or committed offsets on it); null when the topic is gone. */
export async function fetchTopicGroups(name: string, signal?: AbortSignal): Promise<TopicGroup[] | null> {
  const data = await request(TopicGroupsDocument, { name }, signal);
  return data.topic && data.topic.consumerGroups.map((g) => ({ ...g, offsets: g.offsets.filter((o) => o.topic === name) }));
}

export type CommittedOffset = ResetOffsetsMutation['resetOffsets'][number];

export async function resetOffsets(
  group: string,
  topic: string,
  to: ResetTarget,
  value: { offset?: number; timestampMs?: number },
): Promise<CommittedOffset[]> {
  const variables = {
    group,
    topic,
    to,
    offset: value.offset ?? null,
    timestamp: value.timestampMs == null ? null : new Date(value.timestampMs).toISOString(),
  };
  return (await request(ResetOffsetsDocument, variables)).resetOffsets;
}

export type GroupTotal = GroupTotalsQuery['consumerGroups'][number];

/** Every group's state and total lag (the overview's most lagging groups). */
export async function fetchGroupTotals(signal?: AbortSignal): Promise<GroupTotal[]> {
  return (await request(GroupTotalsDocument, {}, signal)).consumerGroups;
}
