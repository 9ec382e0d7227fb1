/**
 * API keys (server/security/README.md "API key storage"): a credential `lw_<id>_<secret>` whose
 * secret is shown once; the catalog keeps only a salted scrypt hash, compared in constant time.
 * Verified keys are cached (id → HMAC of the secret under a per-process key, bounded) so a
 * request does not pay scrypt; at most SCRYPT_CONCURRENCY verifications run scrypt at once
 * (scrypt-limiter.ts). A revocation drops the entry before it answers, and so does any change of
 * the key's record the store reports (another node's revocation in a cluster). lastUsedAt is
 * marked in memory and written in one catalog call every LAST_USED_FLUSH_MS.
 */
import { createHash, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, SecurityCatalog } from '../catalog/catalog';
import { SystemScheduler, type ScheduledTask, type Scheduler } from '../../storage/index';
import { ConcurrencyLimiter, SCRYPT_CONCURRENCY, SCRYPT_QUEUE_MAX } from './scrypt-limiter';

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const SCRYPT_PARAMS = `N=${SCRYPT.N},r=${SCRYPT.r},p=${SCRYPT.p},len=${SCRYPT.keyLength}`;
const LAST_USED_FLUSH_MS = 10_000;
/** Verified keys kept at most (each ~150 B); past it the oldest verified is dropped (it pays scrypt once more). */
export const VERIFIED_CACHE_MAX = 10_000;
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
  /** id → the HMAC of a verified secret and its principal; insertion order = age (Map order). */
  readonly #verified = new Map<string, { digest: Buffer; principal: string }>();
  /** Verifications running scrypt, by id + digest: concurrent first uses of one key share one. */
  readonly #inflight = new Map<string, Promise<VerifiedKey | null>>();
  readonly #hmacKey = randomBytes(32);
  readonly #limiter: ConcurrencyLimiter;
  readonly #uses = new Map<string, number>();
  readonly #revokedListeners = new Set<(id: string) => void>();
  readonly #flushTimer: ScheduledTask;
  readonly #stopWatching: () => void;

  constructor(
    private readonly catalog: SecurityCatalog,
    private readonly nowMs: () => number,
    private readonly onFlushError: (error: unknown) => void,
    scheduler: Scheduler = new SystemScheduler(),
    limiter: ConcurrencyLimiter = new ConcurrencyLimiter(SCRYPT_CONCURRENCY, SCRYPT_QUEUE_MAX),
  ) {
    this.#limiter = limiter;
    this.#flushTimer = scheduler.every(LAST_USED_FLUSH_MS, () => this.flushLastUsed());
    this.#stopWatching =
      catalog.onChange?.((change) => {
        if (change.kind === 'apiKey') void this.#changedElsewhere(change.id);
      }) ?? (() => undefined);
  }

  /** How many verified keys are cached (bounded by VERIFIED_CACHE_MAX). */
  get cachedCount(): number {
    return this.#verified.size;
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
    // Absent: create-if-absent, so nodes starting at once with the same secret make one key;
    // the losers check the winner's record below.
    if (!existing && (await this.#store(id, principal, secret, description))) return;
    const stored = existing ?? (await this.catalog.getApiKey(id));
    if (stored && stored.revokedAtMs === null && stored.principal === principal && (await this.#hashMatches(stored, secret))) return;
    // Revoked or different: the id is derived from the secret, so the row is replaced.
    this.#verified.delete(id);
    await this.#store(id, principal, secret, description, 'replace');
  }

  /** The key's principal, or null: unknown id, revoked, or a wrong secret. ThrottledError when the scrypt queue is full. */
  async verify(credential: string): Promise<VerifiedKey | null> {
    const id = apiKeyIdOf(credential);
    const digest = createHmac('sha256', this.#hmacKey).update(credential).digest();
    const cached = this.#verified.get(id);
    if (cached) {
      if (!timingSafeEqual(cached.digest, digest)) return null;
      this.#uses.set(id, this.nowMs());
      return { id, principal: cached.principal };
    }
    const flightKey = `${id}:${digest.toString('hex')}`;
    let flight = this.#inflight.get(flightKey);
    if (!flight) {
      flight = this.#verifySlowly(id, credential, digest).finally(() => this.#inflight.delete(flightKey));
      this.#inflight.set(flightKey, flight);
    }
    return flight;
  }

  async #verifySlowly(id: string, credential: string, digest: Buffer): Promise<VerifiedKey | null> {
    const record = await this.catalog.getApiKey(id);
    if (!record || record.revokedAtMs !== null) return null;
    if (!(await this.#limiter.run(() => this.#hashMatches(record, credential)))) return null;
    // Revoked while scrypt ran? The catalog answers in order, so look again before caching.
    const again = await this.catalog.getApiKey(id);
    if (!again || again.revokedAtMs !== null || !again.hash.equals(record.hash)) return null;
    if (this.#verified.size >= VERIFIED_CACHE_MAX) this.#verified.delete(this.#verified.keys().next().value as string);
    this.#verified.set(id, { digest, principal: record.principal });
    this.#uses.set(id, this.nowMs());
    return { id, principal: record.principal };
  }

  /** A key's record changed in the store (another node): forget what was verified; revoked or gone closes its sockets here too. */
  async #changedElsewhere(id: string): Promise<void> {
    this.#verified.delete(id);
    const record = await this.catalog.getApiKey(id);
    if (record && record.revokedAtMs === null) return;
    for (const listener of this.#revokedListeners) listener(id);
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
    this.#stopWatching();
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
