/**
 * Cluster.rates, Topic.rates and Cluster.rateHistory through GraphQL: the first answer after records
 * flowed already carries their rate (no second reading needed), consumption counts what group
 * members were delivered, bad history arguments are BAD_USER_INPUT, and a topic created again
 * under a deleted one's name starts from nothing.
 */
import { startTestNode, waitFor, type TestNode } from '../../support/test-node';

const RATES = `query($name: String!) {
  cluster { rates { produceRate produceBytesRate consumeRate } rateHistory(seconds: 60, stepSeconds: 5) { at atMs produceRate consumeRate } }
  topic(name: $name) { rates { produceRate produceBytesRate consumeRate } }
}`;

describe('traffic rates', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "flow", partitions: 2 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers the rate of the last 10 s on the first request, produce and group consumption alike', async () => {
    const client = t.wsClient();
    let delivered = 0;
    const stop = client.subscribe<{ records: { records: unknown[] } }>(
      { query: `subscription { records(topic: "flow", group: "readers", from: EARLIEST) { records { offset } } }` },
      { next: (value) => void (delivered += value.data?.records.records.length ?? 0), error: () => undefined, complete: () => undefined },
    );
    // A plain tail reads too, but is not a consumer group: it must not count as consumption.
    let tailed = 0;
    const stopTail = client.subscribe<{ records: { records: unknown[] } }>(
      { query: `subscription { records(topic: "flow", from: EARLIEST) { records { offset } } }` },
      { next: (value) => void (tailed += value.data?.records.records.length ?? 0), error: () => undefined, complete: () => undefined },
    );
    for (let i = 0; i < 5; i++) {
      await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
        input: { topic: 'flow', records: Array.from({ length: 10 }, (_, j) => ({ value: `v-${i}-${j}`, partition: j % 2 })) },
      });
    }
    await waitFor(() => delivered === 50 && tailed === 50, 15_000, 'the group member and the tail to get all 50 records');

    const { cluster, topic } = await t.ok(RATES, { name: 'flow' });
    // 50 records inside a window of at most 10 s: at least 5 per second, and at most 50 consumed.
    expect(topic.rates.produceRate).toBeGreaterThanOrEqual(5);
    expect(topic.rates.produceBytesRate).toBeGreaterThan(topic.rates.produceRate);
    expect(topic.rates.consumeRate).toBeGreaterThanOrEqual(5);
    expect(topic.rates.consumeRate).toBeLessThanOrEqual(topic.rates.produceRate * 1.01);
    expect(cluster.rates.produceRate).toBeGreaterThanOrEqual(5);
    expect(cluster.rateHistory).toHaveLength(12);
    expect((await t.ok(`{ cluster { rateHistory { atMs } } }`)).cluster.rateHistory).toHaveLength(60);
    expect(new Date(cluster.rateHistory[0].at).getTime()).toBe(cluster.rateHistory[0].atMs);
    stop();
    stopTail();
  });

  it('refuses a history longer than 5 minutes or a step longer than it with BAD_USER_INPUT', async () => {
    expect(await t.errorCode(`{ cluster { rateHistory(seconds: 301) { atMs } } }`)).toBe('BAD_USER_INPUT');
    expect(await t.errorCode(`{ cluster { rateHistory(seconds: 10, stepSeconds: 11) { atMs } } }`)).toBe('BAD_USER_INPUT');
    expect(await t.errorCode(`{ cluster { rateHistory(stepSeconds: 0) { atMs } } }`)).toBe('BAD_USER_INPUT');
  });

  it('starts a topic created again under a deleted name from nothing', async () => {
    await t.ok(`mutation { deleteTopic(name: "flow") }`);
    await t.ok(`mutation { createTopic(input: { name: "flow" }) { name } }`);
    const { topic } = await t.ok(RATES, { name: 'flow' });
    expect(topic.rates).toEqual({ produceRate: 0, produceBytesRate: 0, consumeRate: 0 });
  });
});
