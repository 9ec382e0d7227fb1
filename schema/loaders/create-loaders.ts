/**
 * Per-request dataloaders: every topic and partition lookup in one request is batched into one
 * broker call, results aligned with keys (null where missing). Subscriptions get loaders with
 * `cache: false`: batching only, so a stream that lives for hours never serves stale state.
 */
import DataLoader from 'dataloader';
import type { Broker, ConsumerGroupView, PartitionKey, PartitionStatus, TopicDescription } from '../../server/broker/index';

export interface Loaders {
  topicByName: DataLoader<string, TopicDescription | null>;
  partitionState: DataLoader<PartitionKey, PartitionStatus | null, string>;
  groupById: DataLoader<string, ConsumerGroupView | null>;
  /** Per group: partition key `topic\u0000partition` → time lag in ms (null when unknown). */
  timeLagByGroup: DataLoader<string, Map<string, number | null>>;
  /** Per topic name: the groups reading it (Topic.consumerGroups). */
  groupsByTopic: DataLoader<string, ConsumerGroupView[]>;
}

export function createLoaders(broker: Broker, options: { cache: boolean } = { cache: true }): Loaders {
  return {
    topicByName: new DataLoader(async (names) => broker.describeTopics(names), { cache: options.cache }),
    partitionState: new DataLoader(async (keys) => broker.describePartitions(keys), {
      cache: options.cache,
      cacheKeyFn: (key) => `${key.topic}\u0000${key.partition}`,
    }),
    groupById: new DataLoader(async (ids) => broker.describeGroups(ids), { cache: options.cache }),
    timeLagByGroup: new DataLoader(
      async (ids) =>
        (await broker.groupTimeLags(ids)).map((lags) => new Map(lags.map((l) => [`${l.topic}\u0000${l.partition}`, l.timeLagMs]))),
      { cache: options.cache },
    ),
    groupsByTopic: new DataLoader(async (topics) => broker.groupsReadingTopics(topics), { cache: options.cache }),
  };
}
