/** Topics and partitions: list, describe, create, delete, configs, and the live partition state. */
import { request } from './graphql';
import { subscribeRetrying, type LiveHandlers } from './live';

export interface PartitionState {
  partition: number;
  leader: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  logStartOffset: number;
  highWatermark: number;
  logEndOffset: number;
  lastStableOffset: number;
  underReplicated: boolean;
  sizeBytes: number;
}

export interface ConfigEntry {
  key: string;
  value: string | null;
  isDefault: boolean;
  doc: string | null;
}

export interface TopicSummary {
  name: string;
  internal: boolean;
  partitionCount: number;
  replicationFactor: number;
  sizeBytes: number;
  messageCount: number;
  partitions: Pick<PartitionState, 'partition' | 'highWatermark' | 'underReplicated'>[];
  /** Records produced per second over the last 10 s, counted by the node. */
  rates: { produceRate: number };
}

export interface TopicDetail extends Omit<TopicSummary, 'partitions' | 'rates'> {
  topicId: string;
  createdAt: string;
  partitions: PartitionState[];
  configs: ConfigEntry[];
}

const PARTITION_FIELDS = `partition leader leaderEpoch replicas isr logStartOffset highWatermark logEndOffset lastStableOffset underReplicated sizeBytes`;
const TOPIC_DETAIL = `name topicId internal partitionCount replicationFactor sizeBytes messageCount createdAt
  partitions { ${PARTITION_FIELDS} } configs { key value isDefault doc }`;

const TOPICS = `query Topics($includeInternal: Boolean) {
  topics(includeInternal: $includeInternal) {
    name internal partitionCount replicationFactor sizeBytes messageCount partitions { partition highWatermark underReplicated } rates { produceRate }
  }
}`;

export async function fetchTopics(includeInternal: boolean, signal?: AbortSignal): Promise<TopicSummary[]> {
  return (await request<{ topics: TopicSummary[] }>(TOPICS, { includeInternal }, signal)).topics;
}

const TOPIC = `query Topic($name: String!) { topic(name: $name) { ${TOPIC_DETAIL} } }`;

export async function fetchTopic(name: string, signal?: AbortSignal): Promise<TopicDetail | null> {
  return (await request<{ topic: TopicDetail | null }>(TOPIC, { name }, signal)).topic;
}

export interface ConfigChange {
  key: string;
  /** null puts the setting back to its default. */
  value: string | null;
}

export interface CreateTopicInput {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: ConfigChange[];
}

const CREATE_TOPIC = `mutation CreateTopic($input: CreateTopicInput!) { createTopic(input: $input) { name } }`;

export async function createTopic(input: CreateTopicInput): Promise<string> {
  return (await request<{ createTopic: { name: string } }>(CREATE_TOPIC, { input })).createTopic.name;
}

const DELETE_TOPIC = `mutation DeleteTopic($name: String!) { deleteTopic(name: $name) }`;

export async function deleteTopic(name: string): Promise<boolean> {
  return (await request<{ deleteTopic: boolean }>(DELETE_TOPIC, { name })).deleteTopic;
}

const ALTER_CONFIG = `mutation AlterTopicConfig($name: String!, $configs: [ConfigEntryInput!]!) {
  alterTopicConfig(name: $name, configs: $configs) { ${TOPIC_DETAIL} }
}`;

export async function alterTopicConfig(name: string, configs: ConfigChange[]): Promise<TopicDetail> {
  return (await request<{ alterTopicConfig: TopicDetail }>(ALTER_CONFIG, { name, configs })).alterTopicConfig;
}

const CREATE_PARTITIONS = `mutation CreatePartitions($name: String!, $count: Int!) { createPartitions(name: $name, count: $count) { ${TOPIC_DETAIL} } }`;

export async function createPartitions(name: string, count: number): Promise<TopicDetail> {
  return (await request<{ createPartitions: TopicDetail }>(CREATE_PARTITIONS, { name, count })).createPartitions;
}

const PARTITION_STATE = `subscription PartitionState($topic: String!) { partitionState(topic: $topic) { ${PARTITION_FIELDS} } }`;

/** Every partition of the topic, pushed when a watermark, the leader or the ISR moves. */
export function watchPartitions(topic: string, handlers: LiveHandlers<PartitionState[]>): () => void {
  return subscribeRetrying<{ partitionState: PartitionState[] }>(PARTITION_STATE, () => ({ topic }), {
    next: (data) => handlers.next(data.partitionState),
    error: handlers.error,
    complete: handlers.complete,
  });
}

const TOPIC_RATES = `query TopicRates($name: String!) { topic(name: $name) { rates { produceRate produceBytesRate consumeRate } } }`;

/** The topic's rates over the last 10 s, counted by the node (null when the topic is gone). */
export async function fetchTopicRates(name: string, signal?: AbortSignal): Promise<{ produceRate: number; produceBytesRate: number; consumeRate: number } | null> {
  return (await request<{ topic: { rates: { produceRate: number; produceBytesRate: number; consumeRate: number } } | null }>(TOPIC_RATES, { name }, signal)).topic?.rates ?? null;
}
