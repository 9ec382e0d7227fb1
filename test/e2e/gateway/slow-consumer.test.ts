import WebSocket from 'ws';
import { collect, startTestNode, waitFor, type TestNode, sleep } from '../../support/test-node';

const ONE_KIB = 'v'.repeat(1024);

async function activeSubscriptions(t: TestNode): Promise<number> {
  const text = await (await fetch(t.node.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^logway_active_subscriptions (\d+)$/m.exec(text)?.[1] ?? NaN);
}

describe('a consumer that stops reading its socket', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--socket-stuck-ms', '1000']);
    await t.ok(`mutation { createTopic(input: { name: "firehose" }) { name } }`);
    // About 24 MiB: more than the loopback socket buffers of both ends can hold.
    for (let i = 0; i < 24; i++) {
      await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
        input: { topic: 'firehose', records: Array.from({ length: 1000 }, () => ({ value: ONE_KIB })) },
      });
    }
  });
  afterAll(async () => {
    await t.stop();
  });

  it('is cut off after the stuck timeout while another subscriber of the same topic reads everything', async () => {
    const stuck = new WebSocket(t.node.wsUrl, 'graphql-transport-ws');
    stuck.on('error', () => undefined);
    let stuckReceivedBytes = 0;
    await new Promise<void>((resolve) => {
      stuck.on('open', () => stuck.send(JSON.stringify({ type: 'connection_init' })));
      stuck.on('message', (data: Buffer) => {
        stuckReceivedBytes += data.length;
        const message = JSON.parse(String(data));
        if (message.type === 'connection_ack') {
          stuck.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: 'subscription { records(topic: "firehose", from: EARLIEST, maxBatch: 1000) { records { value } } }' } }));
        } else if (message.type === 'next') {
          // Stop reading after the first batch: the TCP window closes and the server's sends stall.
          (stuck as unknown as { _socket: { pause(): void } })._socket.pause();
          resolve();
        }
      });
    });

    const healthy = collect<{ records: { records: unknown[] } }>(
      t.wsClient(),
      'subscription { records(topic: "firehose", from: EARLIEST, maxBatch: 1000) { records { value } } }',
      {},
      (events) => events.reduce((n, e) => n + e.records.records.length, 0) >= 24_000,
    );
    await sleep(300);
    expect(await activeSubscriptions(t)).toBe(2);
    const events = await healthy.done;
    expect(events.reduce((n, e) => n + e.records.records.length, 0)).toBe(24_000);
    // The stuck socket is terminated by the server; its subscription ends with it.
    const started = Date.now();
    for (;;) {
      if ((await activeSubscriptions(t)) === 0) break;
      if (Date.now() - started > 15_000) throw new Error('the stuck subscriber was never cut off');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stuckReceivedBytes).toBeLessThan(24 * 1024 * 1024);
    stuck.terminate();
  });
});
