/**
 * Auto-commit counts a batch as delivered only once the client has read it (a WebSocket pong
 * after it), not once the node wrote it to the socket: a client whose socket stops reading keeps
 * its committed offset where its reading stopped, through periodic commits, and moves it on again
 * once it reads (server/broker/delivery-receipts.ts, server/http/socket-receipts.ts).
 */
import WebSocket from 'ws';
import { sleep, startTestNode, waitFor, type TestNode } from '../../support/test-node';
import { produceTo } from './group-support';

const AUTO_COMMIT_INTERVAL_MS = 5_000; // the coordinator's, Kafka's auto.commit.interval.ms default

async function committedOffset(t: TestNode, group: string): Promise<number | null> {
  const data = await t.ok(`query($id: String!) { consumerGroup(id: $id) { offsets { partition committedOffset } } }`, { id: group });
  return data.consumerGroup?.offsets.find((o: { partition: number }) => o.partition === 0)?.committedOffset ?? null;
}

describe('auto-commit and proof of receipt', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('does not commit what sits unread in a stalled client\'s buffers, and commits it once the client reads it', async () => {
    await t.ok(`mutation { createTopic(input: { name: "receipts" }) { name } }`);
    const ws = new WebSocket(t.node.wsUrl, 'graphql-transport-ws');
    const received: number[] = [];
    ws.on('error', () => undefined);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: {
          query: `subscription { records(topic: "receipts", group: "proven", from: EARLIEST, autoCommit: true, maxBatch: 10) { records { offset } } }` } }));
      }
      if (message.type === 'next') received.push(...message.payload.data.records.records.map((r: { offset: number }) => Number(r.offset)));
    });
    await waitFor(() => ws.readyState === ws.OPEN, 5_000, 'connected');
    await sleep(200); // joined
    await produceTo(t, 'receipts', 0, Array.from({ length: 10 }, (_, i) => `a${i}`));
    await waitFor(() => received.length === 10, 5_000, 'the first ten records');

    const socket = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause(); // the client stops reading: what the node writes from now on waits in buffers
    await produceTo(t, 'receipts', 0, Array.from({ length: 200 }, (_, i) => `b${i}`));
    await sleep(AUTO_COMMIT_INTERVAL_MS + 2_000); // at least one periodic commit happens meanwhile
    expect(received.length).toBe(10);
    const whileStalled = await committedOffset(t, 'proven');
    expect(whileStalled ?? 0).toBeLessThanOrEqual(10);

    socket.resume();
    await waitFor(() => received.length === 210, 10_000, 'the client reads the rest');
    let committed = await committedOffset(t, 'proven');
    for (let attempt = 0; committed !== 210 && attempt < 100; attempt++) {
      await sleep(100); // the next periodic commit, within one interval
      committed = await committedOffset(t, 'proven');
    }
    expect(committed).toBe(210);
    ws.close();
  });
});
