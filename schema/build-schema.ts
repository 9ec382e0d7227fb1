/**
 * Builds the executable GraphQL schema from the resolvers (type-graphql, code first). The emitted
 * SDL is committed at schema/schema.graphql and a test fails when it drifts from the code.
 */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { ClusterResolver } from './resolvers/cluster.resolver';
import { RecordSubscriptionResolver } from './resolvers/record-subscription.resolver';
import { RecordResolver } from './resolvers/record.resolver';
import { TopicResolver } from './resolvers/topic.resolver';

export const RESOLVERS = [ClusterResolver, TopicResolver, RecordResolver, RecordSubscriptionResolver] as const;

let cached: GraphQLSchema | undefined;

export function buildLogwaySchema(): GraphQLSchema {
  cached ??= buildSchemaSync({ resolvers: [...RESOLVERS], validate: false });
  return cached;
}
