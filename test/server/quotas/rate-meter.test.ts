/**
 * The quota arithmetic (server/quotas/rate-meter.ts, Kafka's sampled Rate and throttle time) and
 * the Quotas table on a real catalog with a ManualClock: a burst is spread over the 10 s minimum
 * window, the throttle time is what brings the rate back to the quota, quiet time forgets old
 * samples, a steady client under its quota is not throttled, and rows survive a reopen.
 */
import path from 'node:path';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { Quotas, recordQuotaBytes } from '../../../server/quotas/quotas';
import { RateMeter, THROTTLE_TIME_MAX_MS, throttleTimeMs } from '../../../server/quotas/rate-meter';
import { ManualClock } from '../../../storage/index';
import { useTmpDir } from '../../support/tmp-dir';

describe('RateMeter', () => {
  test('nothing recorded is a rate of 0 and no throttle', () => {
    const meter = new RateMeter();
    expect(meter.rate(0)).toBe(0);
    expect(throttleTimeMs(meter, 1_000, 0)).toBe(0);
  });

  test('a burst is measured over at least 10 full samples of 1 s (Kafka: quota.window.num 11 − 1)', () => {
    const meter = new RateMeter();
    meter.record(11_000, 5_000);
    expect(meter.windowMs(5_000)).toBe(10_000);
    expect(meter.rate(5_000)).toBe(1_100);
    // (1,100 − 1,000) / 1,000 × 10 s: waiting that long brings the rate back to the quota.
    expect(throttleTimeMs(meter, 1_000, 5_000)).toBe(1_000);
    expect(11_000 / ((meter.windowMs(5_000) + 1_000) / 1_000)).toBe(1_000);
  });

  test('at or under the quota is no throttle', () => {
    const meter = new RateMeter();
    meter.record(10_000, 0);
    expect(throttleTimeMs(meter, 1_000, 0)).toBe(0);
    expect(throttleTimeMs(meter, 2_000, 0)).toBe(0);
  });

  test('samples older than the window (11 s) are forgotten', () => {
    const meter = new RateMeter();
    meter.record(50_000, 0);
    expect(meter.rate(10_999)).toBeGreaterThan(0);
    expect(meter.rate(11_000)).toBe(0);
    expect(throttleTimeMs(meter, 100, 11_000)).toBe(0);
  });

  test('a steady client under its quota is never throttled; one at twice its quota is held about one window', () => {
    const steady = new RateMeter();
    const fast = new RateMeter();
    let steadyThrottled = 0;
    for (let nowMs = 0; nowMs < 60_000; nowMs += 100) {
      steady.record(90, nowMs); // 900 B/s (at exactly the quota, the sample just begun tips it over by a hair, as in Kafka)
      fast.record(200, nowMs); // 2,000 B/s
      if (throttleTimeMs(steady, 1_000, nowMs) > 0) steadyThrottled++;
    }
    expect(steadyThrottled).toBe(0);
    const held = throttleTimeMs(fast, 1_000, 60_000);
    expect(held).toBeGreaterThan(9_000);
    expect(held).toBeLessThanOrEqual(11_000);
  });

  test('a throttle is capped at 30 s', () => {
    const meter = new RateMeter();
    meter.record(100_000_000, 0);
    expect(throttleTimeMs(meter, 1, 0)).toBe(THROTTLE_TIME_MAX_MS);
  });

  test('a record counts its key, value and header bytes', () => {
    expect(
      recordQuotaBytes({
        key: Buffer.from('ab'),
        value: Buffer.from('cde'),
        headers: [
          { key: 'é', value: Buffer.from('x') },
          { key: 'k', value: null },
        ],
      }),
    ).toBe(2 + 3 + 2 + 1 + 1);
    expect(recordQuotaBytes({ key: null, value: null, headers: [] })).toBe(0);
  });
});

describe('Quotas on a real catalog', () => {
  const tmp = useTmpDir('logway-quotas-');

  test('sets, lists, falls back to User:*, throttles on the clock, survives a reopen, deletes', async () => {
    const clock = new ManualClock(1_000_000);
    const databaseFile = path.join(tmp.path, 'catalog.db');
    let catalog = await openCatalog({ databaseFile, clock });
    const quotas = await Quotas.open(catalog.security, () => clock.nowMs());
    try {
      expect(quotas.recordProduce('User:alice', 1_000_000)).toBe(0); // no quota: unlimited
      await quotas.set('User:*', 2_000, null);
      await quotas.set('User:alice', 1_000, 5_000);
      expect(quotas.list().map((q) => q.principal)).toEqual(['User:*', 'User:alice']);
      expect(quotas.effective('User:bob', 'producerByteRate')).toBe(2_000);
      expect(quotas.effective('User:bob', 'consumerByteRate')).toBeNull();
      expect(quotas.effective('User:alice', 'producerByteRate')).toBe(1_000);

      expect(quotas.recordProduce('User:alice', 11_000)).toBe(1_000);
      // Each principal has its own meter, even under the default quota.
      expect(quotas.recordProduce('User:bob', 20_000)).toBe(0);
      expect(quotas.recordProduce('User:carol', 22_000)).toBe(1_000);
      expect(quotas.recordConsume('User:alice', 55_000)).toBe(1_000);
      clock.advance(11_000);
      expect(quotas.recordProduce('User:alice', 0)).toBe(0);
    } finally {
      await catalog.close();
    }
    catalog = await openCatalog({ databaseFile, clock });
    try {
      const reopened = await Quotas.open(catalog.security, () => clock.nowMs());
      expect(reopened.list()).toEqual([
        { principal: 'User:*', producerByteRate: 2_000, consumerByteRate: null, updatedAtMs: 1_000_000 },
        { principal: 'User:alice', producerByteRate: 1_000, consumerByteRate: 5_000, updatedAtMs: 1_000_000 },
      ]);
      expect(await reopened.delete('User:alice')).toBe(true);
      expect(await reopened.delete('User:alice')).toBe(false);
      expect(reopened.effective('User:alice', 'producerByteRate')).toBe(2_000);
      expect((await catalog.security.listQuotas()).map((q) => q.principal)).toEqual(['User:*']);
    } finally {
      await catalog.close();
    }
  });
});
