/**
 * How a group subscription ends, and that only its own ending touches its membership: a
 * subscription ends when its client completes or its socket closes, or with a typed error the
 * client sees — never with a silent `complete` — and a member never loses its partitions without
 * being told.
 */
import { sleep, startTestNode, waitFor, type TestNode } from '../../support/test-node';
import { describeGroup, join, joinRaw, produceTo, waitForBalanced } from './group-support';

describe('the end of a group subscription', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--group-min-session-timeout-ms', '500']);
  });
  afterAll(async () => {
    await t.stop();
  });

  it("ends a replaced static member's old subscription with UNKNOWN_MEMBER_ID and leaves the new connection a full member", async () => {
    await t.ok(`mutation { createTopic(input: { name: "replaced", partitions: 4 }) { name } }`);
    const member = { topic: 'replaced', group: 'rg', from: 'EARLIEST', groupInstanceId: 'pod-a', sessionTimeoutMs: 5000 };
    const old = join(t.wsClient(), member);
    await waitForBalanced([old], 4);
    // The pod restarts while its old connection is still open: the new one takes the member over.
    const replacement = join(t.wsClient(), member);
    await waitFor(() => old.error !== null, 5_000, 'the old subscription ends with an error');
    expect((old.error as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('UNKNOWN_MEMBER_ID');
    await waitFor(() => replacement.events.length > 0, 5_000, 'the replacement joined');
    expect(replacement.memberId()).toBe(old.memberId());
    expect(replacement.assignment()).toEqual([0, 1, 2, 3]);

    // The old subscription's departure must not disconnect the member its replacement now holds.
    const group = await describeGroup(t, 'rg');
    expect(group.members).toEqual([expect.objectContaining({ memberId: replacement.memberId(), connected: true })]);

    // So the replacement hears the next rebalance and gives partitions up…
    const other = join(t.wsClient(), { topic: 'replaced', group: 'rg', from: 'EARLIEST' });
    await waitForBalanced([replacement, other], 4, 8_000);
    // …and reads only what it owns from then on.
    for (let p = 0; p < 4; p++) await produceTo(t, 'replaced', p, [`after-${p}`]);
    const after = (m: typeof other) => m.values().filter((v) => v.startsWith('after-'));
    await waitFor(() => after(replacement).length + after(other).length >= 4, 8_000, 'the four new records');
    expect(after(replacement).sort()).toEqual(replacement.assignment().map((p) => `after-${p}`));
    expect(after(other).sort()).toEqual(other.assignment().map((p) => `after-${p}`));
    expect(replacement.error).toBeNull();
    replacement.stop();
    other.stop();
  });
  it('keeps a live member through an event-loop stall longer than its session timeout: the socket is its liveness', async () => {
    await t.ok(`mutation { createTopic(input: { name: "stalled", partitions: 2 }) { name } }`);
    const m = join(t.wsClient(), { topic: 'stalled', group: 'stall', from: 'EARLIEST', sessionTimeoutMs: 500 });
    await waitForBalanced([m], 2);
    const memberId = m.memberId();
    // The node's event loop (this process) is blocked three times its session timeout: no tick, no
    // heartbeat, no socket read. The first tick after it heartbeats live members before expiring any.
    const until = performance.now() + 1_500;
    while (performance.now() < until) {
      // busy
    }
    await sleep(2_500); // a couple of ticks, each of which would expire a member not heartbeated
    for (let p = 0; p < 2; p++) await produceTo(t, 'stalled', p, [`after-stall-${p}`]);
    await waitFor(() => m.values().filter((v) => v.startsWith('after-stall-')).length === 2, 5_000, 'records after the stall');
    expect(m.error).toBeNull();
    expect(m.memberId()).toBe(memberId);
    expect(m.events.filter((e) => e.assignment)).toHaveLength(1);
    expect((await describeGroup(t, 'stall')).members.map((x: { memberId: string }) => x.memberId)).toEqual([memberId]);
    m.stop();
  });

  it('ends a member whose topic is deleted with TOPIC_DELETED, an error the client sees, not a complete', async () => {
    await t.ok(`mutation { createTopic(input: { name: "gone", partitions: 2 }) { name } }`);
    const m = join(t.wsClient(), { topic: 'gone', group: 'gone-readers', from: 'EARLIEST' });
    await waitForBalanced([m], 2);
    await t.ok(`mutation { deleteTopic(name: "gone") }`);
    await waitFor(() => m.error !== null, 5_000, 'the member ends');
    expect((m.error as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('TOPIC_DELETED');
  });
  it('commits only what a dying auto-commit member was proven to have read: its successor re-reads what was in flight instead of skipping it', async () => {
    await t.ok(`mutation { createTopic(input: { name: "inflight" }) { name } }`);
    // A raw client whose socket stops reading: what the node writes from then on sits in buffers.
    const member = joinRaw(t.node.wsUrl, { topic: 'inflight', group: 'careful', from: 'EARLIEST', autoCommit: true, maxBatch: 10 });
    const received = () => member.delivered(0).map((r) => Number(r.offset));
    await waitFor(() => member.isOpen(), 5_000, 'connected');
    await sleep(200); // joined
    await produceTo(
      t,
      'inflight',
      0,
      Array.from({ length: 10 }, (_, i) => `a${i}`),
    );
    await waitFor(() => received().length === 10, 5_000, 'the first ten records');
    member.pauseReading();
    await produceTo(
      t,
      'inflight',
      0,
      Array.from({ length: 200 }, (_, i) => `b${i}`),
    );
    await sleep(500); // the node writes the new batches into the socket's buffers
    member.kill(); // the client dies without reading them
    const seenBefore = Math.max(...received());

    const successor = join(t.wsClient(), { topic: 'inflight', group: 'careful', from: 'EARLIEST', autoCommit: true });
    await waitFor(() => successor.events.some((e) => e.records.length > 0), 5_000, 'the successor reads');
    const first = Math.min(...successor.delivered(0).map((r) => Number(r.offset)));
    expect(first).toBeLessThanOrEqual(seenBefore + 1);
    successor.stop();
  });
});
