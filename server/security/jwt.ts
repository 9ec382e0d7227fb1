/**
 * JWT bearer tokens (server/security/README.md "JWT"): verified with jose against a local JWKS
 * file read once at start, algorithms pinned to asymmetric ones (never `none`, no HS/RS
 * confusion), exp/nbf with 60 s tolerance, iss and aud when configured; principal `User:<sub>`.
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_S = 60;

export interface JwtSettings {
  jwksFile: string;
  issuer: string | null;
  audience: string | null;
}

export interface VerifiedJwt {
  principal: string;
  /** When the token stops being valid (epoch ms); a socket authenticated with it closes then. */
  expiresAtMs: number | null;
}

export class JwtVerifier {
  readonly #keys: ReturnType<typeof createLocalJWKSet>;

  constructor(private readonly settings: JwtSettings) {
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(readFileSync(settings.jwksFile, 'utf8')) as JSONWebKeySet;
    } catch (error) {
      throw new Error(`--jwt-jwks-file ${settings.jwksFile} cannot be read as JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!Array.isArray(jwks?.keys)) throw new Error(`--jwt-jwks-file ${settings.jwksFile} is not a JWKS file (no "keys" array)`);
    this.#keys = createLocalJWKSet(jwks);
  }

  /** The token's principal, or null for any token that does not verify. */
  async verify(token: string): Promise<VerifiedJwt | null> {
    try {
      const { payload } = await jwtVerify(token, this.#keys, {
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
        ...(this.settings.audience ? { audience: this.settings.audience } : {}),
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '' || /\s/.test(payload.sub)) return null;
      // The tolerance is for clocks that disagree when a token is checked; a socket it opened closes at exp itself.
      return { principal: `User:${payload.sub}`, expiresAtMs: typeof payload.exp === 'number' ? payload.exp * 1000 : null };
    } catch {
      return null;
    }
  }
}

/** Three base64url parts separated by dots: the compact JWS form. */
export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(credential);
}
