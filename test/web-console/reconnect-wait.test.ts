/**
 * The console's reconnect backoff (web-console/src/api/reconnect-wait.ts): doubling from 1 s,
 * never past 10 s however many tries failed, and jittered within 30 % below the step.
 */
import { RECONNECT_MAX_MS, reconnectDelayMs } from '../../web-console/src/api/reconnect-wait';

it('doubles from 1 s and stays at 10 s however many tries failed', () => {
  const noJitter = () => 1 - Number.EPSILON;
  expect([0, 1, 2, 3, 4, 5, 50, 10_000].map((n) => reconnectDelayMs(n, noJitter))).toEqual([
    1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000,
  ]);
});

it('jitters each wait down by at most 30 %', () => {
  expect(reconnectDelayMs(0, () => 0)).toBe(700);
  expect(reconnectDelayMs(100, () => 0)).toBe(7_000);
  for (let retries = 0; retries < 20; retries++) {
    const delay = reconnectDelayMs(retries);
    expect(delay).toBeGreaterThanOrEqual(700);
    expect(delay).toBeLessThanOrEqual(RECONNECT_MAX_MS);
  }
});
