import { startTestNode, waitFor, type TestNode, sleep } from '../../support/test-node';
import { describeGroup, join, joinRaw, produceTo, waitForBalanced } from './group-support';

const SHORT_SESSION = ['--group-min-session-timeout-ms', '500'];

describe('consumer groups over graphql-ws', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(SHORT_SESSION);
    await t.ok(`mutation { createTopic(input: { name: "events", partitions: 6 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('splits partitions between two, then three members, disjointly and completely', async () => {
    const a = join(t.wsClient(), { topic: 'events', group: 'split', from: 'EARLIEST' });
    await waitForBalanced([a], 6);
    const b = join(t.wsClient(), { topic: 'events', group: 'split', from: 'EARLIEST' });
    await waitForBalanced([a, b], 6);
    expect(a.assignment()).toHaveLength(3);
    const c = join(t.wsClient(), { topic: 'events', group: 'split', from: 'EARLIEST' });
    await waitForBalanced([a, b, c], 6);
    for (const m of [a, b, c]) expect(m.assignment()).toHaveLength(2);
    const group = await describeGroup(t, 'split');
    expect(group.state).toBe('STABLE');
    expect(group.members).toHaveLength(3);
    expect(group.protocol).toBe('cooperative-sticky');
    for (const m of [a, b, c]) m.stop();
  });

  it('delivers each member only its partitions', async () => {
    const a = join(t.wsClient(), { topic: 'events', group: 'only-mine', from: 'EARLIEST' });
    const b = join(t.wsClient(), { topic: 'events', group: 'only-mine', from: 'EARLIEST' });
    await waitForBalanced([a, b], 6);
    for (let p = 0; p < 6; p++) await produceTo(t, 'events', p, [`only-${p}`]);
    await waitFor(
      () =>
        a
          .values()
          .concat(b.values())
          .filter((v) => v.startsWith('only-')).length === 6,
      10_000,
      'all six records',
    );
    for (const m of [a, b]) {
      const owned = new Set(m.assignment());
      for (const e of m.events.filter((e) => e.records.length > 0)) expect(owned.has(e.partition)).toBe(true);
    }
    a.stop();
    b.stop();
  });

  it("moves a dropped member's partitions to the survivor, which resumes from the committed offset without skipping", async () => {
    await t.ok(`mutation { createTopic(input: { name: "failover", partitions: 2 }) { name } }`);
    const survivor = join(t.wsClient(), { topic: 'failover', group: 'fo', from: 'EARLIEST', sessionTimeoutMs: 1000 });
    const doomed = joinRaw(t.node.wsUrl, { topic: 'failover', group: 'fo', from: 'EARLIEST', sessionTimeoutMs: 1000 });
    await waitForBalanced([survivor, doomed], 2);
    const lost = doomed.assignment()[0]!;
    await produceTo(t, 'failover', lost, ['r0', 'r1', 'r2', 'r3']);
    await waitFor(() => doomed.delivered(lost).length === 4, 10_000, 'doomed member reads 4');
    // It processed r0 and r1 and committed that; r2 and r3 were delivered but never committed.
    await t.ok(
      `mutation($g: String!, $m: String, $gen: Int, $p: Int!) { commitOffsets(group: $g, memberId: $m, generation: $gen, offsets: [{ topic: "failover", partition: $p, offset: 2 }]) { offset } }`,
      { g: 'fo', m: doomed.memberId(), gen: doomed.generation(), p: lost },
    );
    // The member's process dies: the connection goes away with no goodbye.
    doomed.kill();
    await waitFor(() => survivor.assignment().length === 2, 15_000, 'survivor takes the partition');
    await produceTo(t, 'failover', lost, ['r4']);
    await waitFor(() => survivor.delivered(lost).some((r) => r.value === 'r4'), 10_000, 'survivor reads on');
    expect(survivor.delivered(lost).map((r) => r.value)).toEqual(['r2', 'r3', 'r4']);
    survivor.stop();
  });

  it('fences a member whose session expired: its commit is refused and changes nothing', async () => {
    await t.ok(`mutation { createTopic(input: { name: "zombie" }) { name } }`);
    await produceTo(t, 'zombie', 0, ['z0', 'z1', 'z2']);
    const poll = `mutation($m: String) { pollRecords(group: "zg", topic: "zombie", memberId: $m, sessionTimeoutMs: 600, maxRecords: 10) { memberId generation assignment batches { records { offset } } } }`;
    const first = (await t.ok(poll, { m: null })).pollRecords;
    expect(first.assignment).toEqual([0]);
    await t.ok(
      `mutation($m: String, $g: Int) { commitOffsets(group: "zg", memberId: $m, generation: $g, offsets: [{ topic: "zombie", partition: 0, offset: 1 }]) { offset } }`,
      { m: first.memberId, g: first.generation },
    );
    // Stop polling past the session timeout; the coordinator removes the member (on its next tick:
    // wait for that rather than a fixed time, which a loaded machine can outlast).
    for (const started = Date.now(); (await describeGroup(t, 'zg')).members.length > 0; await sleep(100)) {
      if (Date.now() - started > 20_000) throw new Error('the expired member was never removed');
    }
    const code = await t.errorCode(
      `mutation($m: String, $g: Int) { commitOffsets(group: "zg", memberId: $m, generation: $g, offsets: [{ topic: "zombie", partition: 0, offset: 3 }]) { offset } }`,
      { m: first.memberId, g: first.generation },
    );
    expect(code).toBe('UNKNOWN_MEMBER_ID');
    expect(await t.errorCode(poll, { m: first.memberId })).toBe('UNKNOWN_MEMBER_ID');
    const group = await describeGroup(t, 'zg');
    expect(group.offsets.find((o: any) => o.partition === 0).committedOffset).toBe(1);
  });

  it('refuses a commit from a stale generation after a rebalance', async () => {
    await t.ok(`mutation { createTopic(input: { name: "stale", partitions: 2 }) { name } }`);
    const a = join(t.wsClient(), { topic: 'stale', group: 'sg', from: 'EARLIEST' });
    await waitForBalanced([a], 2);
    const oldGeneration = a.generation();
    const b = join(t.wsClient(), { topic: 'stale', group: 'sg', from: 'EARLIEST' });
    await waitForBalanced([a, b], 2);
    const moved = b.assignment()[0]!;
    const result = await t.gql(
      `mutation($m: String, $g: Int, $p: Int!) { commitOffsets(group: "sg", memberId: $m, generation: $g, offsets: [{ topic: "stale", partition: $p, offset: 0 }]) { offset } }`,
      { m: a.memberId(), g: oldGeneration, p: moved },
    );
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'ILLEGAL_GENERATION' } });
    a.stop();
    b.stop();
  });

  it('keeps unaffected partitions flowing during a cooperative rebalance', async () => {
    await t.ok(`mutation { createTopic(input: { name: "coop", partitions: 4 }) { name } }`);
    const a = join(t.wsClient(), { topic: 'coop', group: 'cg', from: 'EARLIEST' });
    await waitForBalanced([a], 4);
    const b = join(t.wsClient(), { topic: 'coop', group: 'cg', from: 'EARLIEST' });
    await waitForBalanced([a, b], 4);
    const kept = a.assignment();
    expect(kept).toHaveLength(2);
    // A never lost the partitions it kept: every announcement it got still contained them.
    for (const e of a.events.filter((e) => e.assignment)) {
      for (const p of kept) expect(e.assignment).toContain(p);
    }
    await produceTo(t, 'coop', kept[0]!, ['still-flowing']);
    await waitFor(() => a.values().includes('still-flowing'), 10_000, 'kept partition keeps flowing');
    a.stop();
    b.stop();
  });

  it('reports lag as high watermark minus committed offset, and restart keeps committed offsets', async () => {
    await t.ok(`mutation { createTopic(input: { name: "lagged", partitions: 2 }) { name } }`);
    await produceTo(
      t,
      'lagged',
      0,
      Array.from({ length: 10 }, (_, i) => `${i}`),
    );
    await produceTo(
      t,
      'lagged',
      1,
      Array.from({ length: 4 }, (_, i) => `${i}`),
    );
    await t.ok(
      `mutation { commitOffsets(group: "lg", offsets: [{ topic: "lagged", partition: 0, offset: 7, metadata: "note" }, { topic: "lagged", partition: 1, offset: 4 }]) { offset } }`,
    );
    const check = async () => {
      const group = await describeGroup(t, 'lg');
      const topic = (await t.ok(`{ topic(name: "lagged") { partitions { highWatermark } } }`)).topic;
      const expected = [0, 1].map(
        (p) => topic.partitions[p].highWatermark - group.offsets.find((o: any) => o.partition === p).committedOffset,
      );
      expect(group.offsets.map((o: any) => o.lag)).toEqual(expected);
      expect(group.totalLag).toBe(expected[0]! + expected[1]!);
      expect(group.offsets[0]).toMatchObject({
        committedOffset: 7,
        metadata: 'note',
        highWatermark: 10,
        lag: 3,
        partitionStatus: { leader: 0, isr: [0], highWatermark: 10 },
      });
    };
    await check();
    await t.restart();
    await check();
  });
});
