/**
 * Request rate limits per source (server/security/README.md "Request rate limits per
 * connection"): a token bucket of `ratePerS` tokens refilled at `ratePerS` per second, one per
 * WebSocket connection (a `subscribe` message costs a token) and one per client address for HTTP
 * (a /graphql request costs a token), checked before authentication and before anything is
 * parsed. An empty bucket answers THROTTLED (HTTP 429 with Retry-After) without running the
 * operation; every other source keeps its own bucket. Time is the node's monotonic clock.
 *
 * Single-threaded JS: no locking; buckets are plain objects mutated in place.
 */
import type { GraphQLError } from 'graphql';
import { requestError } from '../../schema/errors/request-error';

export class TokenBucket {
  #tokens: number;
  #atMs: number;

  constructor(
    private readonly ratePerS: number,
    nowMs: number,
  ) {
    this.#tokens = ratePerS;
    this.#atMs = nowMs;
  }

  /** Takes a token: 0 when there was one, else how many ms until there is (nothing taken). */
  take(nowMs: number): number {
    this.#refill(nowMs);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) / this.ratePerS) * 1_000));
  }

  /** Whether the bucket is back to full (a source that stopped calling: its bucket can be dropped). */
  full(nowMs: number): boolean {
    this.#refill(nowMs);
    return this.#tokens >= this.ratePerS;
  }

  #refill(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.#atMs);
    this.#tokens = Math.min(this.ratePerS, this.#tokens + (elapsedMs / 1_000) * this.ratePerS);
    this.#atMs = nowMs;
  }
}

/** Addresses tracked at once; past this the oldest full buckets go first, then the oldest. */
const SOURCES_MAX = 10_000;

/** Buckets by source key (a client address); `ratePerS` 0 turns limiting off. */
export class RequestRateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerS: number,
    private readonly nowMs: () => number,
  ) {}

  get enabled(): boolean {
    return this.ratePerS > 0;
  }

  /** 0 when `source` may go on, else how long until it may (ms). */
  take(source: string): number {
    if (!this.enabled) return 0;
    const nowMs = this.nowMs();
    let bucket = this.#buckets.get(source);
    if (!bucket) {
      if (this.#buckets.size >= SOURCES_MAX) this.#evict(nowMs);
      bucket = new TokenBucket(this.ratePerS, nowMs);
      this.#buckets.set(source, bucket);
    }
    return bucket.take(nowMs);
  }

  /** A bucket of its own, for one connection (dropped with it). */
  connectionBucket(): TokenBucket | null {
    return this.enabled ? new TokenBucket(this.ratePerS, this.nowMs()) : null;
  }

  now(): number {
    return this.nowMs();
  }

  #evict(nowMs: number): void {
    for (const [source, bucket] of this.#buckets) if (bucket.full(nowMs)) this.#buckets.delete(source);
    if (this.#buckets.size >= SOURCES_MAX) this.#buckets.delete(this.#buckets.keys().next().value as string);
  }
}

/** The refusal: code THROTTLED, retriable, with how long to wait. */
export function throttledError(retryAfterMs: number, ratePerS: number): GraphQLError {
  return requestError('THROTTLED', `too many requests: at most ${ratePerS} per second from one source; retry after ${retryAfterMs} ms`, {
    retryAfterMs,
    maxRequestsPerSecond: ratePerS,
    retriable: true,
  });
}
