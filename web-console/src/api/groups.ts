/**
 * Consumer groups (built against docs/GRAPHQL-API.md): the list, one group, its live lag
 * (Subscription.groupLag), committing and resetting offsets.
 */
import { request } from './graphql';
import { subscribeRetrying, type LiveHandlers } from './live';

export type GroupState = 'EMPTY' | 'PREPARING_REBALANCE' | 'COMPLETING_REBALANCE' | 'STABLE' | 'DEAD';

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

export interface GroupMember {
  memberId: string;
  clientId: string | null;
  host: string | null;
  assignment: { topic: string; partitions: number[] }[];
}

export interface GroupPartitionOffset {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logEndOffset: number;
  highWatermark: number;
  lag: number;
  /** Age of the oldest uncommitted record in ms; 0 when caught up, null when unknown. */
  timeLagMs: number | null;
}

export interface ConsumerGroupSummary {
  id: string;
  state: GroupState;
  totalLag: number;
  members: { memberId: string }[];
}

export interface ConsumerGroup {
  id: string;
  state: GroupState;
  generation: number;
  protocol: string | null;
  totalLag: number;
  members: GroupMember[];
  offsets: GroupPartitionOffset[];
}

const GROUP_FIELDS = `id state generation protocol totalLag
  members { memberId clientId host assignment { topic partitions } }
  offsets { topic partition committedOffset logEndOffset highWatermark lag timeLagMs }`;

const GROUPS = `query ConsumerGroups { consumerGroups { id state totalLag members { memberId } } }`;

export async function fetchGroups(signal?: AbortSignal): Promise<ConsumerGroupSummary[]> {
  return (await request<{ consumerGroups: ConsumerGroupSummary[] }>(GROUPS, {}, signal)).consumerGroups;
}

const GROUP = `query ConsumerGroup($id: String!) { consumerGroup(id: $id) { ${GROUP_FIELDS} } }`;

export async function fetchGroup(id: string, signal?: AbortSignal): Promise<ConsumerGroup | null> {
  return (await request<{ consumerGroup: ConsumerGroup | null }>(GROUP, { id }, signal)).consumerGroup;
}

const GROUP_LAG = `subscription GroupLag($group: String!) { groupLag(group: $group) { ${GROUP_FIELDS} } }`;

/** The group, pushed when its lag or membership changes. */
export function watchGroup(group: string, handlers: LiveHandlers<ConsumerGroup>): () => void {
  return subscribeRetrying<{ groupLag: ConsumerGroup }>(GROUP_LAG, () => ({ group }), {
    next: (data) => handlers.next(data.groupLag),
    error: handlers.error,
    complete: handlers.complete,
  });
}

export interface TopicGroup {
  id: string;
  state: GroupState;
  members: { memberId: string; assignment: { topic: string; partitions: number[] }[] }[];
  /** This topic's partitions only. */
  offsets: { partition: number; committedOffset: number | null; lag: number }[];
}

const TOPIC_GROUPS = `query TopicGroups($name: String!) {
  topic(name: $name) { consumerGroups { id state members { memberId assignment { topic partitions } } offsets { topic partition committedOffset lag } } }
}`;

/** The groups reading a topic (a member subscribed to it or committed offsets on it); null when the topic is gone. */
export async function fetchTopicGroups(name: string, signal?: AbortSignal): Promise<TopicGroup[] | null> {
  type Answer = { topic: { consumerGroups: (Omit<TopicGroup, 'offsets'> & { offsets: (TopicGroup['offsets'][number] & { topic: string })[] })[] } | null };
  const data = await request<Answer>(TOPIC_GROUPS, { name }, signal);
  return data.topic && data.topic.consumerGroups.map((g) => ({ ...g, offsets: g.offsets.filter((o) => o.topic === name) }));
}

export type ResetTarget = 'EARLIEST' | 'LATEST' | 'OFFSET' | 'TIMESTAMP';

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

const RESET = `mutation ResetOffsets($group: String!, $topic: String!, $to: ResetTarget!, $offset: SafeInt, $timestamp: DateTime) {
  resetOffsets(group: $group, topic: $topic, to: $to, offset: $offset, timestamp: $timestamp) { topic partition offset }
}`;

export async function resetOffsets(group: string, topic: string, to: ResetTarget, value: { offset?: number; timestampMs?: number }): Promise<CommittedOffset[]> {
  const variables = {
    group,
    topic,
    to,
    offset: value.offset ?? null,
    timestamp: value.timestampMs == null ? null : new Date(value.timestampMs).toISOString(),
  };
  return (await request<{ resetOffsets: CommittedOffset[] }>(RESET, variables)).resetOffsets;
}

const GROUP_TOTALS = `query GroupTotals { consumerGroups { id state totalLag } }`;

export type GroupTotal = Pick<ConsumerGroupSummary, 'id' | 'state' | 'totalLag'>;

/** Every group's state and total lag (the overview's most lagging groups). */
export async function fetchGroupTotals(signal?: AbortSignal): Promise<GroupTotal[]> {
  return (await request<{ consumerGroups: GroupTotal[] }>(GROUP_TOTALS, {}, signal)).consumerGroups;
}
