import { startTestNode, waitFor, type TestNode, sleep } from '../../support/test-node';
import { describeGroup, join, produceTo, waitForBalanced } from './group-support';

const POLL = `mutation($g: String!, $m: String, $max: Int, $wait: Int, $auto: Boolean, $instance: String) {
  pollRecords(group: $g, topic: "pulled", memberId: $m, maxRecords: $max, maxWaitMs: $wait, autoCommit: $auto, groupInstanceId: $instance, sessionTimeoutMs: 2000) {
    memberId generation assignment batches { partition records { offset value } } } }`;

describe('pull consumers, pause/resume and static members', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--group-min-session-timeout-ms', '500']);
    await t.ok(`mutation { createTopic(input: { name: "pulled", partitions: 2 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('joins on the first poll, returns batches, and long-polls for new records', async () => {
    await produceTo(t, 'pulled', 0, ['a', 'b']);
    const first = (await t.ok(POLL, { g: 'puller', max: 10 })).pollRecords;
    expect(first.assignment).toEqual([0, 1]);
    expect(first.batches.flatMap((b: any) => b.records.map((r: any) => r.value))).toEqual(['a', 'b']);
    const waiting = t.ok(POLL, { g: 'puller', m: first.memberId, wait: 5_000 });
    await new Promise((r) => setTimeout(r, 200));
    await produceTo(t, 'pulled', 1, ['late']);
    const second = (await waiting).pollRecords;
    expect(second.batches.flatMap((b: any) => b.records.map((r: any) => r.value))).toEqual(['late']);
    const empty = (await t.ok(POLL, { g: 'puller', m: first.memberId, wait: 0 })).pollRecords;
    expect(empty.batches).toEqual([]);
    expect(await t.ok(`mutation($m: String!) { leaveGroup(group: "puller", memberId: $m) }`, { m: first.memberId })).toEqual({
      leaveGroup: true,
    });
    expect((await describeGroup(t, 'puller')).members).toEqual([]);
  });

  it("commits a poll's records on the next poll with auto-commit (at-least-once)", async () => {
    await t.ok(`mutation { resetOffsets(group: "auto-puller", topic: "pulled", to: LATEST) { offset } }`);
    await produceTo(t, 'pulled', 0, ['1', '2', '3']);
    const first = (await t.ok(POLL, { g: 'auto-puller', auto: true, max: 10 })).pollRecords;
    expect(first.batches.flatMap((b: any) => b.records.map((r: any) => r.value))).toEqual(['1', '2', '3']);
    let group = await describeGroup(t, 'auto-puller');
    expect(group.totalLag).toBe(3); // handed out, not yet known to be processed
    await t.ok(POLL, { g: 'auto-puller', m: first.memberId, auto: true });
    group = await describeGroup(t, 'auto-puller');
    expect(group.totalLag).toBe(0);
    await t.ok(`mutation($m: String!) { leaveGroup(group: "auto-puller", memberId: $m) }`, { m: first.memberId });
  });

  it('pauses and resumes partitions of a subscription member', async () => {
    await t.ok(`mutation { resetOffsets(group: "pausing", topic: "pulled", to: LATEST) { offset } }`);
    const member = join(t.wsClient(), { topic: 'pulled', group: 'pausing', from: 'LATEST' });
    await waitForBalanced([member], 2);
    const paused = await t.ok(`mutation($m: String!) { pauseConsumer(group: "pausing", memberId: $m, topic: "pulled", partitions: [0]) }`, {
      m: member.memberId(),
    });
    expect(paused.pauseConsumer).toEqual([0]);
    await produceTo(t, 'pulled', 0, ['held']);
    await produceTo(t, 'pulled', 1, ['flows']);
    await waitFor(() => member.values().includes('flows'), 5_000, 'unpaused partition delivers');
    expect(member.values()).not.toContain('held');
    const resumed = await t.ok(
      `mutation($m: String!) { resumeConsumer(group: "pausing", memberId: $m, topic: "pulled", partitions: [0]) }`,
      { m: member.memberId() },
    );
    expect(resumed.resumeConsumer).toEqual([]);
    await waitFor(() => member.values().includes('held'), 5_000, 'resumed partition delivers');
    member.stop();
  });

  it('gives a static member its assignment back when it reconnects within the session timeout', async () => {
    const a = join(t.wsClient(), { topic: 'pulled', group: 'static', from: 'LATEST', groupInstanceId: 'pod-a', sessionTimeoutMs: 5000 });
    const b = join(t.wsClient(), { topic: 'pulled', group: 'static', from: 'LATEST', groupInstanceId: 'pod-b', sessionTimeoutMs: 5000 });
    await waitForBalanced([a, b], 2);
    const before = { id: a.memberId(), assignment: a.assignment(), generation: (await describeGroup(t, 'static')).generation };
    a.stop();
    await sleep(300);
    const again = join(t.wsClient(), {
      topic: 'pulled',
      group: 'static',
      from: 'LATEST',
      groupInstanceId: 'pod-a',
      sessionTimeoutMs: 5000,
    });
    await waitFor(() => again.events.length > 0, 5_000, 'rejoined');
    expect(again.memberId()).toBe(before.id);
    expect(again.assignment()).toEqual(before.assignment);
    expect((await describeGroup(t, 'static')).generation).toBe(before.generation);
    again.stop();
    b.stop();
  });
});
