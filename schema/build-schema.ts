/**
 * Builds the executable GraphQL schema from the resolvers (type-graphql, code first). The emitted
 * SDL is committed at schema/schema.graphql and a test fails when it drifts from the code. The
 * resolvers here are what runs: nothing replaces them after the build. Object types declare
 * `simpleResolvers` (type-graphql's own option), so a field without a @FieldResolver is read as
 * the property it is, without type-graphql's per-field middleware wrapper (~13,000 calls for a
 * subscription event of 1,000 records).
 */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import type { ProduceInput } from './inputs/produce.input';
import { servePlainArgs } from './plain-args';
import { describeRootTypes } from './root-type-descriptions';
import { ClusterResolver } from './resolvers/cluster.resolver';
import { ConsumerGroupResolver } from './resolvers/consumer-group.resolver';
import { GroupPartitionOffsetResolver } from './resolvers/group-partition-offset.resolver';
import { RecordSubscriptionResolver } from './resolvers/record-subscription.resolver';
import { ProducerResolver } from './resolvers/producer.resolver';
import { RecordResolver } from './resolvers/record.resolver';
import { TopicResolver } from './resolvers/topic.resolver';
import { TopicGroupsResolver } from './resolvers/topic-groups.resolver';
import { ClusterTrafficResolver, TopicTrafficResolver } from './resolvers/traffic.resolver';
import { SecurityResolver } from './resolvers/security.resolver';

export const RESOLVERS = [
  ClusterResolver,
  TopicResolver,
  RecordResolver,
  ProducerResolver,
  RecordSubscriptionResolver,
  ConsumerGroupResolver,
  GroupPartitionOffsetResolver,
  TopicGroupsResolver,
  ClusterTrafficResolver,
  TopicTrafficResolver,
  SecurityResolver,
] as const;

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
    const records = new RecordResolver();
    servePlainArgs(cached, 'Mutation', 'produce', (ctx, args) => records.produce(ctx, args.input as ProduceInput));
  }
  return cached;
}
