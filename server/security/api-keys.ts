/**
 * API keys (server/security/README.md "API key storage"): a credential `lw_<id>_<secret>` whose
 * secret is shown once; the catalog keeps only a salted scrypt hash, compared in constant time.
 * Verified keys are cached (id → sha256 of the secret) so a request does not pay scrypt; a
 * revocation drops the entry before it answers. lastUsedAt is marked in memory and written in one
 * catalog call every LAST_USED_FLUSH_MS.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, SecurityCatalog } from '../catalog/catalog';
import { SystemScheduler, type ScheduledTask, type Scheduler } from '../../storage/index';

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const SCRYPT_PARAMS = `N=${SCRYPT.N},r=${SCRYPT.r},p=${SCRYPT.p},len=${SCRYPT.keyLength}`;
const LAST_USED_FLUSH_MS = 10_000;
const KEY_FORMAT = /^lw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyView {
  id: string;
  principal: string;
  description: string | null;
  createdAtMs: number;
  lastUsedAtMs: number | null;
}

export interface VerifiedKey {
  id: string;
  principal: string;
}

function scrypt(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(secret, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The lookup id of a credential: the one inside `lw_<id>_…`, or the bootstrap form's derived one. */
export function apiKeyIdOf(credential: string): string {
  const match = KEY_FORMAT.exec(credential);
  return match ? match[1]! : `boot${sha256(credential).toString('hex').slice(0, 12)}`;
}

export class ApiKeys {
  /** id → what a verified secret hashes to (sha256) and its principal. */
  readonly #verified = new Map<string, { digest: Buffer; principal: string }>();
  readonly #uses = new Map<string, number>();
  readonly #revokedListeners = new Set<(id: string) => void>();
  readonly #flushTimer: ScheduledTask;

  constructor(
    private readonly catalog: SecurityCatalog,
    private readonly nowMs: () => number,
    private readonly onFlushError: (error: unknown) => void,
    scheduler: Scheduler = new SystemScheduler(),
  ) {
    this.#flushTimer = scheduler.every(LAST_USED_FLUSH_MS, () => this.flushLastUsed());
  }

  async create(principal: string, description: string | null): Promise<{ id: string; principal: string; secret: string }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = randomBytes(8).toString('hex');
      const secret = `lw_${id}_${randomBytes(32).toString('base64url')}`;
      if (await this.#store(id, principal, secret, description)) return { id, principal, secret };
    }
    throw new Error('could not find a free API key id in 5 attempts');
  }

  /** `--bootstrap-admin-key`: makes sure a live key with this secret exists for the principal. */
  async ensure(secret: string, principal: string, description: string): Promise<void> {
    const id = apiKeyIdOf(secret);
    const existing = await this.catalog.getApiKey(id);
    if (existing && existing.revokedAtMs === null && existing.principal === principal && (await this.#hashMatches(existing, secret)))
      return;
    // Missing, revoked or different: the id is derived from the secret, so the row is replaced.
    this.#verified.delete(id);
    await this.#store(id, principal, secret, description, 'replace');
  }

  /** The key's principal, or null: unknown id, revoked, or a wrong secret. */
  async verify(credential: string): Promise<VerifiedKey | null> {
    const id = apiKeyIdOf(credential);
    const digest = sha256(credential);
    const cached = this.#verified.get(id);
    if (cached) {
      if (!timingSafeEqual(cached.digest, digest)) return null;
      this.#uses.set(id, this.nowMs());
      return { id, principal: cached.principal };
    }
    const record = await this.catalog.getApiKey(id);
    if (!record || record.revokedAtMs !== null) return null;
    if (!(await this.#hashMatches(record, credential))) return null;
    // Revoked while scrypt ran? The catalog answers in order, so look again before caching.
    const again = await this.catalog.getApiKey(id);
    if (!again || again.revokedAtMs !== null) return null;
    this.#verified.set(id, { digest, principal: record.principal });
    this.#uses.set(id, this.nowMs());
    return { id, principal: record.principal };
  }

  async list(): Promise<ApiKeyView[]> {
    const records = await this.catalog.listApiKeys();
    return records
      .filter((r) => r.revokedAtMs === null)
      .map((r) => ({
        id: r.id,
        principal: r.principal,
        description: r.description,
        createdAtMs: r.createdAtMs,
        lastUsedAtMs: this.#uses.get(r.id) ?? r.lastUsedAtMs,
      }));
  }

  /** Revokes at once: the cache entry goes before this answers, and the transports close what used it. */
  async revoke(id: string): Promise<boolean> {
    this.#verified.delete(id);
    const revoked = await this.catalog.revokeApiKey(id, this.nowMs());
    this.#verified.delete(id);
    if (revoked) for (const listener of this.#revokedListeners) listener(id);
    return revoked;
  }

  onRevoked(listener: (id: string) => void): () => void {
    this.#revokedListeners.add(listener);
    return () => this.#revokedListeners.delete(listener);
  }

  async flushLastUsed(): Promise<void> {
    if (this.#uses.size === 0) return;
    const uses = [...this.#uses].map(([id, lastUsedAtMs]) => ({ id, lastUsedAtMs }));
    this.#uses.clear();
    try {
      await this.catalog.touchApiKeys(uses);
    } catch (error) {
      this.onFlushError(error);
    }
  }

  async close(): Promise<void> {
    this.#flushTimer.cancel();
    await this.flushLastUsed();
  }

  async #store(
    id: string,
    principal: string,
    secret: string,
    description: string | null,
    mode: 'create' | 'replace' = 'create',
  ): Promise<boolean> {
    const salt = randomBytes(16);
    const hash = await scrypt(secret, salt);
    const record: ApiKeyRecord = {
      id,
      principal,
      salt,
      hash,
      params: SCRYPT_PARAMS,
      description,
      createdAtMs: this.nowMs(),
      lastUsedAtMs: null,
      revokedAtMs: null,
    };
    if (mode === 'create') return this.catalog.createApiKey(record);
    await this.catalog.replaceApiKey(record);
    return true;
  }

  async #hashMatches(record: ApiKeyRecord, secret: string): Promise<boolean> {
    if (record.params !== SCRYPT_PARAMS) return false; // only one parameter set exists so far
    const hash = await scrypt(secret, record.salt);
    return hash.length === record.hash.length && timingSafeEqual(hash, record.hash);
  }
}
