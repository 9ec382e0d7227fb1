/** Builds the GraphQLContext: per HTTP request (caching loaders) or per subscription (no cache). */
import { randomUUID } from 'node:crypto';
import { createLoaders } from '../../schema/loaders/create-loaders';
import type { GraphQLContext } from '../../schema/context.type';
import type { Broker } from '../broker/index';

export function buildContext(broker: Broker, kind: 'request' | 'subscription'): GraphQLContext {
  return { broker, loaders: createLoaders(broker, { cache: kind === 'request' }), requestId: randomUUID() };
}
