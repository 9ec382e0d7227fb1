/**
 * Builds the executable GraphQL schema from the resolvers (type-graphql, code first). The emitted
 * SDL is committed at schema/schema.graphql and a test fails when it drifts from the code.
 */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import type { ProduceInput } from './inputs/produce.input';
import { useDefaultFieldResolvers, usePlainArgs } from './execution-fast-paths';
import { produceRecords } from './resolvers/record.resolver';
import { describeRootTypes } from './root-type-descriptions';
import { ClusterResolver } from './resolvers/cluster.resolver';
import { ConsumerGroupResolver } from './resolvers/consumer-group.resolver';
import { GROUP_PARTITION_OFFSET_FIELD_RESOLVERS, GroupPartitionOffsetResolver } from './resolvers/group-partition-offset.resolver';
import { RecordSubscriptionResolver } from './resolvers/record-subscription.resolver';
import { ProducerResolver } from './resolvers/producer.resolver';
import { RecordResolver } from './resolvers/record.resolver';
import { TopicResolver } from './resolvers/topic.resolver';
import { TOPIC_FIELD_RESOLVERS, TopicGroupsResolver } from './resolvers/topic-groups.resolver';
import { ClusterTrafficResolver, TopicTrafficResolver, TRAFFIC_FIELD_RESOLVERS } from './resolvers/traffic.resolver';

export const RESOLVERS = [ClusterResolver, TopicResolver, RecordResolver, ProducerResolver, RecordSubscriptionResolver, ConsumerGroupResolver, GroupPartitionOffsetResolver, TopicGroupsResolver,
  ClusterTrafficResolver, TopicTrafficResolver] as const;

/**
 * type-graphql insists on a PubSub whenever there are subscriptions, even though every one of ours
 * brings its own `subscribe` (the broker's tails). This one is never called; if it were, that is a bug.
 */
const UNUSED_PUBSUB = {
  publish(): never {
    throw new Error('Logway subscriptions do not use type-graphql PubSub');
  },
  subscribe(): never {
    throw new Error('Logway subscriptions do not use type-graphql PubSub');
  },
};

let cached: GraphQLSchema | undefined;

export function buildLogwaySchema(): GraphQLSchema {
  if (!cached) {
    cached = buildSchemaSync({ resolvers: [...RESOLVERS], validate: false, pubSub: UNUSED_PUBSUB });
    describeRootTypes(cached);
    useDefaultFieldResolvers(cached, [...GROUP_PARTITION_OFFSET_FIELD_RESOLVERS, ...TOPIC_FIELD_RESOLVERS, ...TRAFFIC_FIELD_RESOLVERS]);
    usePlainArgs(cached, 'Mutation', 'produce', (args, ctx) => produceRecords(ctx, args.input as ProduceInput));
  }
  return cached;
}
