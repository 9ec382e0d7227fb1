/**
 * What a resolver may touch: the broker facade, this request's loaders, and its id for logs.
 * server/http builds one per HTTP request and one per graphql-ws subscription (loaders without
 * cache there, so a long subscription never serves stale state).
 */
import type { Broker } from '../server/broker/index';
import type { RequestIdentity } from '../server/security/principal';
import type { Loaders } from './loaders/create-loaders';

export interface GraphQLContext {
  broker: Broker;
  loaders: Loaders;
  requestId: string;
  /** Subscriptions over graphql-ws: resolves once the client has read everything sent before the call. */
  confirmReceipt?: () => Promise<void>;
  /** The client's address (the HTTP or WebSocket connection's remote address): a group member's `host`. */
  clientHost?: string | null;
  /** Who is calling, from where: ANONYMOUS while auth is off (server/security/principal.ts). */
  identity: RequestIdentity;
  /** Added to the response's `extensions` by the executor (schema/response-extensions.ts): `throttleTimeMs`. */
  responseExtensions?: Record<string, unknown>;
}
