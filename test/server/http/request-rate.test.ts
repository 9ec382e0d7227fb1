/** The token bucket behind --max-requests-per-second (server/http/request-rate.ts), on a hand-moved clock. */
import { RequestRateLimiter, TokenBucket } from '../../../server/http/request-rate';

describe('TokenBucket', () => {
  test('a full bucket lets `rate` requests through at once, then says how long until the next one', () => {
    const bucket = new TokenBucket(5, 0);
    for (let i = 0; i < 5; i++) expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(200); // one token at 5 per second
    expect(bucket.take(100)).toBe(100);
    expect(bucket.take(200)).toBe(0);
    expect(bucket.take(200)).toBe(200);
  });

  test('refills at `rate` per second up to `rate`, never beyond', () => {
    const bucket = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i++) bucket.take(0);
    expect(bucket.full(60_000)).toBe(true);
    let served = 0;
    while (bucket.take(60_000) === 0) served++;
    expect(served).toBe(10);
  });
});

describe('RequestRateLimiter', () => {
  test('each source has its own bucket; 0 turns limiting off', () => {
    let nowMs = 0;
    const limiter = new RequestRateLimiter(2, () => nowMs);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 500]);
    expect(limiter.take('b')).toBe(0);
    nowMs = 500;
    expect(limiter.take('a')).toBe(0);
    const off = new RequestRateLimiter(0, () => nowMs);
    expect(off.enabled).toBe(false);
    for (let i = 0; i < 100; i++) expect(off.take('a')).toBe(0);
    expect(off.connectionBucket()).toBeNull();
  });
});
