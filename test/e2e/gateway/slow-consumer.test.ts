import WebSocket from 'ws';
import { untilActiveSubscriptions } from '../../support/metrics';
import { collect, startTestNode, type TestNode } from '../../support/test-node';

const ONE_KIB = 'v'.repeat(1024);
const QUERY = 'subscription { records(topic: "firehose", from: EARLIEST, maxBatch: 1000) { records { value } } }';

describe('a consumer that stops reading its socket', () => {
  let t: TestNode;
  let stuck: WebSocket | undefined;
  beforeAll(async () => {
    t = await startTestNode(['--socket-stuck-ms', '1000']);
    await t.ok(`mutation { createTopic(input: { name: "firehose" }) { name } }`);
  });
  afterAll(async () => {
    stuck?.terminate();
    await t.stop();
  });

  it('is cut off after the stuck timeout while another subscriber of the same topic reads everything', async () => {
    // Both subscribe to the empty topic first, so both are live before anything can stall: the
    // stuck timeout only starts once records are produced and the stuck socket stops draining.
    const socket = new WebSocket(t.node.wsUrl, 'graphql-transport-ws');
    stuck = socket;
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    let stuckReceivedBytes = 0;
    socket.on('message', (data: Buffer) => {
      stuckReceivedBytes += data.length;
      if (JSON.parse(String(data)).type === 'connection_ack')
        socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: QUERY } }));
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    await untilActiveSubscriptions(t, 1, 'the stuck subscriber');

    const healthy = collect<{ records: { records: unknown[] } }>(
      t.wsClient(),
      QUERY,
      {},
      (events) => events.reduce((n, e) => n + e.records.records.length, 0) >= 24_000,
    );
    await untilActiveSubscriptions(t, 2, 'the healthy subscriber');

    // Stop reading: the TCP window closes and the server's sends to this socket stall.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    // About 24 MiB: more than the loopback socket buffers of both ends can hold.
    for (let i = 0; i < 24; i++) {
      await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
        input: { topic: 'firehose', records: Array.from({ length: 1000 }, () => ({ value: ONE_KIB })) },
      });
    }
    const events = await healthy.done;
    expect(events.reduce((n, e) => n + e.records.records.length, 0)).toBe(24_000);

    // The stuck socket is terminated by the server; its subscription ends with it.
    await untilActiveSubscriptions(t, 0, 'the stuck subscriber was never cut off');
    // Read what the kernel still buffered for it: the node never queued the whole topic for it.
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    expect(stuckReceivedBytes).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('a node shutting down while a consumer has stopped reading', () => {
  it('drops the stuck socket instead of waiting out its close handshake', async () => {
    // Default stuck timeout (30 s): the node's close must not wait for it, nor for ws's own 30 s
    // close timeout, which a peer that never reads the close frame would otherwise run out.
    const t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "firehose" }) { name } }`);
    const socket = new WebSocket(t.node.wsUrl, 'graphql-transport-ws');
    socket.on('error', () => undefined);
    try {
      socket.on('message', (data: Buffer) => {
        if (JSON.parse(String(data)).type === 'connection_ack')
          socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: QUERY } }));
      });
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      await untilActiveSubscriptions(t, 1, 'the subscriber');
      (socket as unknown as { _socket: { pause(): void } })._socket.pause();
      for (let i = 0; i < 24; i++) {
        await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
          input: { topic: 'firehose', records: Array.from({ length: 1000 }, () => ({ value: ONE_KIB })) },
        });
      }
      let guard: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        t.stop().then(() => 'stopped'),
        new Promise<string>((resolve) => (guard = setTimeout(() => resolve('still waiting for the stuck peer'), 20_000))),
      ]);
      clearTimeout(guard);
      expect(stopped).toBe('stopped');
    } finally {
      socket.terminate();
      await t.stop();
    }
  }, 60_000);
});
