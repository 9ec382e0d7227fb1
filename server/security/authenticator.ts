/**
 * Turns a bearer credential into a RequestIdentity (server/security/README.md "Where the
 * principal is established"). The transports call it once per HTTP request and once per
 * WebSocket connection; with auth off it is never asked (everyone is ANONYMOUS).
 */
import { UnauthenticatedError } from '../errors';
import type { ApiKeys } from './api-keys';
import type { FailedAttempts } from './failed-attempts';
import { looksLikeJwt, type JwtVerifier } from './jwt';
import type { Principal, RequestIdentity } from './principal';

export interface Authenticated {
  identity: RequestIdentity;
  /** The API key used, so revoking it can close the connections it opened. */
  apiKeyId: string | null;
  /** A JWT's expiry (epoch ms): a WebSocket authenticated with it is closed then. */
  expiresAtMs: number | null;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly jwt: JwtVerifier | null,
    private readonly failures: FailedAttempts,
  ) {}

  /** UnauthenticatedError unless `authorization` is `Bearer <valid API key or JWT>`. */
  async authenticate(authorization: unknown, host: string | null): Promise<Authenticated> {
    const retryAfterMs = this.failures.retryAfterMs(host);
    if (retryAfterMs > 0)
      throw new UnauthenticatedError('too many failed authentication attempts from this address', { retryAfterMs, tooManyAttempts: true });
    const credential = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    // No credential at all is not a guess (a console before its login, a probe): it is refused
    // without using up the address's failed-attempt budget.
    if (authorization === undefined || authorization === null || authorization === '')
      throw new UnauthenticatedError('authentication required: send Authorization: Bearer <API key or JWT>');
    if (credential === undefined) throw this.#failed(host, 'the Authorization value is not "Bearer <credential>"');
    if (this.jwt && looksLikeJwt(credential)) {
      const verified = await this.jwt.verify(credential);
      if (!verified) throw this.#failed(host, 'the token is not valid (signature, issuer, audience or expiry)');
      return { identity: { principal: parsePrincipal(verified.principal), host }, apiKeyId: null, expiresAtMs: verified.expiresAtMs };
    }
    const key = await this.apiKeys.verify(credential);
    if (!key) throw this.#failed(host, 'the credential is not a valid API key');
    return { identity: { principal: parsePrincipal(key.principal), host }, apiKeyId: key.id, expiresAtMs: null };
  }

  #failed(host: string | null, message: string): UnauthenticatedError {
    this.failures.recordFailure(host);
    return new UnauthenticatedError(message);
  }
}

/** `User:alice` → { type: 'User', name: 'alice' } (the form every binding and key stores). */
export function parsePrincipal(name: string): Principal {
  return Object.freeze({ type: 'User', name: name.startsWith('User:') ? name.slice('User:'.length) : name });
}
