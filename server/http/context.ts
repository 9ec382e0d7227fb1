/** Builds the GraphQLContext: per HTTP request (caching loaders) or per subscription (no cache). */
import { randomUUID } from 'node:crypto';
import { createLoaders } from '../../schema/loaders/create-loaders';
import type { GraphQLContext } from '../../schema/context.type';
import type { Broker } from '../broker/index';

/** `confirmReceipt`: graphql-ws subscriptions only, the socket's proof of receipt (socket-receipts.ts). */
export function buildContext(broker: Broker, kind: 'request' | 'subscription', confirmReceipt?: () => Promise<void>): GraphQLContext {
  const context: GraphQLContext = { broker, loaders: createLoaders(broker, { cache: kind === 'request' }), requestId: randomUUID() };
  if (confirmReceipt) context.confirmReceipt = confirmReceipt;
  return context;
}
