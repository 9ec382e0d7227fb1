/**
 * Authentication at the HTTP door (server/security/README.md): the `Authorization: Bearer …`
 * header of a /graphql request, and the /metrics token. Failures come back as the GraphQL error
 * every other refusal uses (extensions.code UNAUTHENTICATED), with HTTP 401, or 429 while the
 * address is over its failed-attempt budget, or when the node's API key verifications are all
 * busy (THROTTLED, retriable: server/security/scrypt-limiter.ts).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { ThrottledError, UnauthenticatedError } from '../errors';
import type { RequestIdentity } from '../security/principal';
import type { Security } from '../security/security';
import { codedRequestError } from '../../schema/errors/request-error';

export type RequestAuthentication = { ok: true; identity: RequestIdentity | null } | { ok: false; status: number; error: GraphQLError };

export async function authenticateRequest(
  security: Security | null,
  authorization: string | undefined,
  host: string | null,
): Promise<RequestAuthentication> {
  if (!security || !security.required) return { ok: true, identity: null };
  try {
    const { identity } = await security.authenticator.authenticate(authorization, host);
    return { ok: true, identity };
  } catch (error) {
    if (error instanceof ThrottledError) return { ok: false, status: 429, error: codedRequestError(error) };
    if (!(error instanceof UnauthenticatedError)) throw error;
    return { ok: false, status: error.details.tooManyAttempts === true ? 429 : 401, error: codedRequestError(error) };
  }
}

/** `--metrics-token`: unset, /metrics is open; set, it needs `Authorization: Bearer <token>` (constant-time compare). */
export function metricsAllowed(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}
