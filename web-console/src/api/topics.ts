/**
 * Topics and partitions: list, describe, create, delete, configs, and the live partition state.
 * The documents are in topics.graphql; their shapes come from the contract (generated/operations.ts).
 */
import {
  AlterTopicConfigDocument,
  CreatePartitionsDocument,
  CreateTopicDocument,
  DeleteTopicDocument,
  PartitionStateDocument,
  TopicDocument,
  TopicRatesDocument,
  TopicsDocument,
  type ConfigEntryInput,
  type CreateTopicInput,
  type PartitionFieldsFragment,
  type TopicDetailFieldsFragment,
  type TopicRatesQuery,
  type TopicsQuery,
} from './generated/operations';
import { request } from './graphql';
import { subscribeRetrying, type LiveHandlers } from './live';

export type PartitionState = PartitionFieldsFragment;
export type ConfigEntry = TopicDetailFieldsFragment['configs'][number];
/** A topic in the list; `rates.produceRate`: records produced per second over the last 10 s, counted by the node. */
export type TopicSummary = TopicsQuery['topics'][number];
export type TopicDetail = TopicDetailFieldsFragment;
/** `value: null` puts the setting back to its default. */
export type ConfigChange = ConfigEntryInput;
export type { CreateTopicInput };
export type TopicRates = NonNullable<TopicRatesQuery['topic']>['rates'];

export async function fetchTopics(includeInternal: boolean, signal?: AbortSignal): Promise<TopicSummary[]> {
  return (await request(TopicsDocument, { includeInternal }, signal)).topics;
}

export async function fetchTopic(name: string, signal?: AbortSignal): Promise<TopicDetail | null> {
  return (await request(TopicDocument, { name }, signal)).topic;
}

export async function createTopic(input: CreateTopicInput): Promise<string> {
  return (await request(CreateTopicDocument, { input })).createTopic.name;
}

export async function deleteTopic(name: string): Promise<boolean> {
  return (await request(DeleteTopicDocument, { name })).deleteTopic;
}

export async function alterTopicConfig(name: string, configs: ConfigChange[]): Promise<TopicDetail> {
  return (await request(AlterTopicConfigDocument, { name, configs })).alterTopicConfig;
}

export async function createPartitions(name: string, count: number): Promise<TopicDetail> {
  return (await request(CreatePartitionsDocument, { name, count })).createPartitions;
}

/** Every partition of the topic, pushed when a watermark, the leader or the ISR moves. */
export function watchPartitions(topic: string, handlers: LiveHandlers<PartitionState[]>): () => void {
  return subscribeRetrying(PartitionStateDocument, () => ({ topic }), {
    next: (data) => handlers.next(data.partitionState),
    error: handlers.error,
    complete: handlers.complete,
  });
}

/** The topic's rates over the last 10 s, counted by the node (null when the topic is gone). */
export async function fetchTopicRates(name: string, signal?: AbortSignal): Promise<TopicRates | null> {
  return (await request(TopicRatesDocument, { name }, signal)).topic?.rates ?? null;
}
