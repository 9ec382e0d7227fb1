/**
 * The node's recent-traffic counters (server/broker/traffic.ts) on the storage layer's ManualClock:
 * a rate from the first reading, the 10 s window, the second at its edge weighted by how much of
 * it is inside, 5 minutes of the node's history, rings that forget older laps, and only group deliveries
 * counting as consumption.
 */
import { ManualClock } from '../../../storage/index';
import { NO_METRICS, type BrokerMetrics } from '../../../server/broker/broker-deps';
import { Traffic } from '../../../server/broker/traffic';

function traffic() {
  const clock = new ManualClock();
  const passed: string[] = [];
  const next: BrokerMetrics = {
    recordsProduced: (topic, records) => void passed.push(`in ${topic} ${records}`),
    recordsConsumed: (topic, records) => void passed.push(`out ${topic} ${records}`),
  };
  return { clock, passed, traffic: new Traffic(clock, next) };
}

describe('Traffic', () => {
  it('has a rate from the first reading: 80 records/s for 4 s read 80/s', () => {
    const { clock, traffic: t } = traffic();
    for (let i = 0; i < 40; i++) {
      t.recordsProduced('orders', 8, 800); // 8 records every 100 ms
      clock.advance(100);
    }
    expect(t.rates('orders').produceRate).toBeCloseTo(80, 5);
    expect(t.rates('orders').produceBytesRate).toBeCloseTo(8_000, 5);
    expect(t.rates(null).produceRate).toBeCloseTo(80, 5);
    expect(t.rates('other')).toEqual({ produceRate: 0, produceBytesRate: 0, consumeRate: 0 });
  });

  it('averages over the last 10 s, then falls to 0 once the topic is quiet', () => {
    const { clock, traffic: t } = traffic();
    clock.advance(60_000);
    for (let i = 0; i < 200; i++) {
      t.recordsProduced('orders', 5, 100); // 50/s for 20 s
      clock.advance(100);
    }
    expect(t.rates('orders').produceRate).toBeCloseTo(50, 5);
    clock.advance(5_000);
    expect(t.rates('orders').produceRate).toBeCloseTo(25, 5);
    clock.advance(5_000);
    expect(t.rates('orders').produceRate).toBe(0);
  });

  it('counts deliveries to group members as consumption, not tails or pages, and passes every call on', () => {
    const { clock, passed, traffic: t } = traffic();
    clock.advance(20_000);
    t.recordsConsumed('orders', 30, 300, 'billing');
    t.recordsConsumed('orders', 70, 700); // a tail without a group
    t.recordsProduced('orders', 1, 10);
    clock.advance(1_000);
    expect(t.rates('orders').consumeRate).toBeCloseTo(3, 5);
    expect(passed).toEqual(['out orders 30', 'out orders 70', 'in orders 1']);
  });

  it("keeps the node's last 5 minutes of complete seconds in samples, oldest first, and forgets what is older", () => {
    const { clock, traffic: t } = traffic();
    clock.advance(1_000_000);
    t.recordsProduced('orders', 600, 6_000); // at second 1000
    clock.advance(200_000);
    t.recordsProduced('audit', 60, 600); // at second 1200
    clock.advance(1_500);
    const samples = t.history(300, 5);
    expect(samples).toHaveLength(60);
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.atMs - samples[i - 1]!.atMs).toBe(5_000);
    // The newest sample ends with the last complete second (1200): 60 records over 5 s.
    expect(samples.at(-1)!.produceRate).toBeCloseTo(12, 5);
    expect(samples.at(-1)!.atMs).toBe(clock.nowMs() - 1_500 - 4_000);
    const busy = samples.filter((s) => s.produceRate > 0);
    expect(busy).toHaveLength(2);
    expect(busy[0]!.produceRate).toBeCloseTo(120, 5);
    // A lap of the ring later, those slots hold nothing.
    clock.advance(400_000);
    expect(t.history(300, 1).every((s) => s.produceRate === 0)).toBe(true);
    expect(t.history(10, 5)).toHaveLength(2);
  });

  it("keeps a topic's counters only for its rate window", () => {
    const { clock, traffic: t } = traffic();
    clock.advance(20_000);
    t.recordsProduced('orders', 100, 1_000);
    clock.advance(12_000); // a lap of the topic's 11 slots and more
    t.recordsProduced('orders', 10, 100);
    clock.advance(1_000);
    expect(t.rates('orders').produceRate).toBeCloseTo(1, 5);
  });

  it('forgets a deleted topic', () => {
    const { clock, traffic: t } = traffic();
    clock.advance(20_000);
    t.recordsProduced('orders', 10, 100);
    t.forget('orders');
    expect(t.rates('orders').produceRate).toBe(0);
    expect(new Traffic(clock, NO_METRICS).rates(null).produceRate).toBe(0);
  });
});
