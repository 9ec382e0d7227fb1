/**
 * Descriptions of the three root operation types. type-graphql builds Query, Mutation and
 * Subscription from the resolvers' fields and has no decorator that describes the types
 * themselves, so they are set on the built schema (every type of the SDL has a description:
 * test/schema/schema-descriptions.test.ts).
 */
import type { GraphQLSchema } from 'graphql';

export const ROOT_TYPE_DESCRIPTIONS = {
  Query: 'Reads: the cluster, topics and their partitions, pages of records, consumer groups',
  Mutation: 'Writes: topic admin, produce, offset commits and resets, pull consumers, pausing and resuming partitions of a member',
  Subscription:
    'Live streams over graphql-ws: records as they are committed (alone or as a consumer-group member), group lag, partition state',
} as const;

export function describeRootTypes(schema: GraphQLSchema): void {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (type) type.description = ROOT_TYPE_DESCRIPTIONS[type.name as keyof typeof ROOT_TYPE_DESCRIPTIONS];
  }
}
