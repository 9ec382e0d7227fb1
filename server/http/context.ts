/** Builds the GraphQLContext: per HTTP request (caching loaders) or per subscription (no cache). */
import { randomUUID } from 'node:crypto';
import { createLoaders } from '../../schema/loaders/create-loaders';
import type { GraphQLContext } from '../../schema/context.type';
import type { Broker } from '../broker/index';
import { ANONYMOUS, type RequestIdentity } from '../security/principal';

/**
 * `confirmReceipt`: graphql-ws subscriptions only, the socket's proof of receipt (socket-receipts.ts).
 * `remoteAddress`: the connection's peer, recorded as a group member's host.
 * `identity`: who the transport authenticated (ANONYMOUS from that host when auth is off). The
 * context's broker is bound to it, so every use case checks its ACLs (server/broker/access.ts).
 */
export function buildContext(
  broker: Broker,
  kind: 'request' | 'subscription',
  confirmReceipt?: () => Promise<void>,
  remoteAddress?: string,
  identity?: RequestIdentity,
): GraphQLContext {
  const host = clientHost(remoteAddress);
  const caller = identity ?? { principal: ANONYMOUS, host };
  const bound = broker.withIdentity(caller);
  const context: GraphQLContext = {
    broker: bound,
    loaders: createLoaders(bound, { cache: kind === 'request' }),
    requestId: randomUUID(),
    clientHost: host,
    identity: caller,
  };
  if (confirmReceipt) context.confirmReceipt = confirmReceipt;
  return context;
}

/** The peer as people write it: an IPv4 client of a dual-stack socket is `127.0.0.1`, not `::ffff:127.0.0.1`. */
export function clientHost(remoteAddress: string | undefined): string | null {
  if (!remoteAddress) return null;
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice('::ffff:'.length) : remoteAddress;
}
