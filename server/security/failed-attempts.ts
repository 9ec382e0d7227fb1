/**
 * Failed authentication attempts, limited per source address with a token bucket: BURST
 * failures, refilled at REFILL_PER_S. While a host's bucket is empty its attempts are refused
 * without being verified (no scrypt, no signature check), so a brute force costs the node
 * nothing; every other address keeps its own bucket. Buckets of hosts that stopped failing are
 * dropped once full again, and the table is bounded.
 */
const BURST = 10;
const REFILL_PER_S = 1;
const HOSTS_MAX = 10_000;

export class FailedAttempts {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly nowMs: () => number) {}

  /** 0 when the host may try; else how long until it may (ms). */
  retryAfterMs(host: string | null): number {
    const bucket = this.#refilled(host ?? '');
    return bucket && bucket.tokens < 1 ? Math.ceil(((1 - bucket.tokens) / REFILL_PER_S) * 1000) : 0;
  }

  recordFailure(host: string | null): void {
    const key = host ?? '';
    const bucket = this.#refilled(key) ?? { tokens: BURST, atMs: this.nowMs() };
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    if (!this.#buckets.has(key) && this.#buckets.size >= HOSTS_MAX) this.#buckets.delete(this.#buckets.keys().next().value as string);
    this.#buckets.set(key, bucket);
  }

  #refilled(key: string): { tokens: number; atMs: number } | undefined {
    const bucket = this.#buckets.get(key);
    if (!bucket) return undefined;
    const now = this.nowMs();
    bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.atMs) / 1000) * REFILL_PER_S);
    bucket.atMs = now;
    if (bucket.tokens >= BURST) {
      this.#buckets.delete(key);
      return undefined;
    }
    return bucket;
  }
}
