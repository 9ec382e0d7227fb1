import { collect, startTestNode, waitFor, type TestNode } from '../../support/test-node';

describe('health, metrics and the console route', () => {
  let t: TestNode;
  const base = () => t.node.url.replace(/\/graphql$/, '');
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "metered" }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('does not count the start-up warm-up (server/http/warm-up.ts) as queries', async () => {
    const text = await (await fetch(`${base()}/metrics`)).text();
    const queries = Number(/^logway_graphql_request_duration_seconds_count\{operation="query"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    expect(queries).toBe(0); // only a mutation (createTopic) ran so far; the warm-up ran 100 queries
    expect(text).toMatch(/^logway_graphql_request_duration_seconds_count\{operation="mutation"\} 1$/m);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${base()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('exports records and bytes in and out per topic, latency, subscriptions and log sizes', async () => {
    await t.ok(
      `mutation { produce(input: { topic: "metered", records: [{ value: "secret-value-1" }, { value: "secret-value-2" }] }) { topic } }`,
    );
    await t.ok(`{ records(topic: "metered", partition: 0) { records { offset } } }`);
    const sub = collect(t.wsClient(), `subscription { partitionState(topic: "metered") { partition } }`, {}, () => false);
    await waitFor(() => sub.events.length > 0, 5_000, 'subscription running');
    const text = await (await fetch(`${base()}/metrics`)).text();
    expect(text).toMatch(/logway_records_in_total\{topic="metered"\} 2/);
    expect(text).toMatch(/logway_records_out_total\{topic="metered"\} 2/);
    expect(text).toMatch(/logway_bytes_in_total\{topic="metered"\} \d+/);
    expect(text).toMatch(/logway_graphql_request_duration_seconds_bucket\{le="[^"]+",operation="mutation"\}/);
    expect(text).toMatch(/logway_active_subscriptions 1/);
    expect(text).toMatch(/logway_log_size_bytes\{topic="metered"\} [1-9]\d*/);
    expect(text).not.toMatch(/secret-value/);
    await t.ok(`mutation { commitOffsets(group: "metered-group", offsets: [{ topic: "metered", partition: 0, offset: 1 }]) { offset } }`);
    const withGroup = await (await fetch(`${base()}/metrics`)).text();
    expect(withGroup).toMatch(/logway_consumer_group_lag\{group="metered-group",topic="metered",partition="0"\} 1/);
    sub.stop();
  });

  it('exports the event loop delay as a histogram that has samples', async () => {
    const samples = async () => {
      const text = await (await fetch(`${base()}/metrics`)).text();
      expect(text).toMatch(/^# TYPE logway_event_loop_delay_seconds histogram$/m);
      expect(text).toMatch(/^logway_event_loop_delay_seconds_bucket\{le="0\.01"\} \d+$/m);
      return Number(/^logway_event_loop_delay_seconds_count (\d+)$/m.exec(text)?.[1] ?? NaN);
    };
    // The sampling timer ticks every 10 ms; the bound only guards against it never ticking.
    const started = Date.now();
    while ((await samples()) === 0) {
      if (Date.now() - started > 10_000) throw new Error('logway_event_loop_delay_seconds_count stayed 0');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('serves 404 for unknown paths and redirects / to the console', async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
    const root = await fetch(`${base()}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
  });
});
