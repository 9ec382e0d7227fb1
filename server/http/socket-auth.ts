/**
 * Authentication of graphql-ws connections (server/security/README.md): the connection_init
 * payload's `authorization` is checked once, in onConnect; the identity is the connection's for
 * its life. A revoked API key closes every socket it opened, at once, and a JWT's socket closes
 * when the token expires (4403 both, graphql-ws' Forbidden). When every API key verification is
 * busy (THROTTLED) the socket is closed with 1013, "try again later", not 4403: the key may be good.
 */
import type { WebSocket } from 'ws';
import { ThrottledError } from '../errors';
import type { RequestIdentity } from '../security/principal';
import type { Security } from '../security/security';
import { clientHost } from './context';

const FORBIDDEN = 4403;
/** RFC 6455's "Try Again Later". */
const TRY_AGAIN_LATER = 1013;

interface Authenticated {
  identity: RequestIdentity;
  socket: WebSocket;
  apiKeyId: string | null;
  expiry: NodeJS.Timeout | null;
}

export class SocketAuthentication {
  readonly #byConnection = new WeakMap<object, Authenticated>();
  readonly #byApiKey = new Map<string, Set<Authenticated>>();
  readonly #stopListening: () => void;

  constructor(private readonly security: Security | null) {
    this.#stopListening = security ? security.apiKeys.onRevoked((id) => this.#closeKey(id)) : () => undefined;
  }

  /** true when the connection may go on (always, with auth off). */
  async accept(connection: object, socket: WebSocket, params: unknown, remoteAddress: string | undefined): Promise<boolean> {
    if (!this.security || !this.security.required) return true;
    const authorization = params !== null && typeof params === 'object' ? (params as Record<string, unknown>).authorization : undefined;
    let result;
    try {
      result = await this.security.authenticator.authenticate(authorization, clientHost(remoteAddress));
    } catch (error) {
      if (error instanceof ThrottledError) socket.close(TRY_AGAIN_LATER, 'busy verifying API keys; try again later');
      return false;
    }
    const entry: Authenticated = { identity: result.identity, socket, apiKeyId: result.apiKeyId, expiry: null };
    if (result.expiresAtMs !== null) {
      const delayMs = Math.max(0, result.expiresAtMs - Date.now());
      entry.expiry = setTimeout(() => socket.close(FORBIDDEN, 'token expired'), Math.min(delayMs, 2 ** 31 - 1));
      entry.expiry.unref();
    }
    this.#byConnection.set(connection, entry);
    if (entry.apiKeyId !== null) {
      const set = this.#byApiKey.get(entry.apiKeyId) ?? new Set();
      set.add(entry);
      this.#byApiKey.set(entry.apiKeyId, set);
    }
    return true;
  }

  identityOf(connection: object): RequestIdentity | undefined {
    return this.#byConnection.get(connection)?.identity;
  }

  forget(connection: object): void {
    const entry = this.#byConnection.get(connection);
    if (!entry) return;
    this.#byConnection.delete(connection);
    if (entry.expiry) clearTimeout(entry.expiry);
    if (entry.apiKeyId !== null) {
      const set = this.#byApiKey.get(entry.apiKeyId);
      set?.delete(entry);
      if (set?.size === 0) this.#byApiKey.delete(entry.apiKeyId);
    }
  }

  close(): void {
    this.#stopListening();
  }

  #closeKey(apiKeyId: string): void {
    for (const entry of this.#byApiKey.get(apiKeyId) ?? []) entry.socket.close(FORBIDDEN, 'API key revoked');
    this.#byApiKey.delete(apiKeyId);
  }
}
