/**
 * Auto-commit counts a batch as delivered only once the client has read it (a WebSocket pong
 * after it), not once the node wrote it to the socket: a client whose socket stops reading keeps
 * its committed offset where its reading stopped, through periodic commits, and moves it on again
 * once it reads (server/broker/delivery-receipts.ts, server/http/socket-receipts.ts).
 */
import { sleep, startTestNode, waitFor, type TestNode } from '../../support/test-node';
import { joinRaw, produceTo } from './group-support';

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

  it("does not commit what sits unread in a stalled client's buffers, and commits it once the client reads it", async () => {
    await t.ok(`mutation { createTopic(input: { name: "receipts" }) { name } }`);
    const member = joinRaw(t.node.wsUrl, { topic: 'receipts', group: 'proven', from: 'EARLIEST', autoCommit: true, maxBatch: 10 });
    const received = () => member.delivered(0).length;
    await waitFor(() => member.isOpen(), 5_000, 'connected');
    await sleep(200); // joined
    await produceTo(
      t,
      'receipts',
      0,
      Array.from({ length: 10 }, (_, i) => `a${i}`),
    );
    await waitFor(() => received() === 10, 5_000, 'the first ten records');

    member.pauseReading(); // the client stops reading: what the node writes from now on waits in buffers
    await produceTo(
      t,
      'receipts',
      0,
      Array.from({ length: 200 }, (_, i) => `b${i}`),
    );
    await sleep(AUTO_COMMIT_INTERVAL_MS + 2_000); // at least one periodic commit happens meanwhile
    expect(received()).toBe(10);
    const whileStalled = await committedOffset(t, 'proven');
    expect(whileStalled ?? 0).toBeLessThanOrEqual(10);

    member.resumeReading();
    await waitFor(() => received() === 210, 10_000, 'the client reads the rest');
    let committed = await committedOffset(t, 'proven');
    for (let attempt = 0; committed !== 210 && attempt < 100; attempt++) {
      await sleep(100); // the next periodic commit, within one interval
      committed = await committedOffset(t, 'proven');
    }
    expect(committed).toBe(210);
    member.stop();
  });
});
