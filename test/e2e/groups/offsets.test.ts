import { collect, startTestNode, waitFor, type TestNode, sleep } from '../../support/test-node';
import { describeGroup, join, produceTo, waitForBalanced } from './group-support';

const COMMIT = `mutation($g: String!, $o: [OffsetCommitInput!]!, $m: String, $gen: Int) { commitOffsets(group: $g, offsets: $o, memberId: $m, generation: $gen) { group topic partition offset metadata } }`;
const RESET = `mutation($g: String!, $t: String!, $to: ResetTarget!, $o: SafeInt, $ts: DateTime) { resetOffsets(group: $g, topic: $t, to: $to, offset: $o, timestamp: $ts) { partition offset } }`;

describe('committed offsets, resets and lag', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--group-min-session-timeout-ms', '500']);
    await t.ok(`mutation { createTopic(input: { name: "ledger", partitions: 2 }) { name } }`);
    const base = Date.now() - 100_000;
    for (const p of [0, 1]) {
      await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
        input: {
          topic: 'ledger',
          records: Array.from({ length: 10 }, (_, i) => ({ value: `${p}-${i}`, partition: p, timestampMs: base + i * 1000 })),
        },
      });
    }
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('bad input changes nothing', () => {
    beforeAll(async () => {
      await t.ok(COMMIT, { g: 'guarded', o: [{ topic: 'ledger', partition: 0, offset: 5 }] });
    });
    const committed = async () => (await describeGroup(t, 'guarded')).offsets.find((o: any) => o.partition === 0).committedOffset;

    it.each([
      ['an empty group id', { g: '', o: [{ topic: 'ledger', partition: 0, offset: 1 }] }, 'INVALID_GROUP_ID'],
      ['an oversized group id', { g: 'g'.repeat(256), o: [{ topic: 'ledger', partition: 0, offset: 1 }] }, 'INVALID_GROUP_ID'],
      ['a negative offset', { g: 'guarded', o: [{ topic: 'ledger', partition: 0, offset: -1 }] }, 'BAD_USER_INPUT'],
      ['an offset beyond the high watermark', { g: 'guarded', o: [{ topic: 'ledger', partition: 0, offset: 11 }] }, 'OFFSET_OUT_OF_RANGE'],
      [
        'huge metadata',
        { g: 'guarded', o: [{ topic: 'ledger', partition: 0, offset: 1, metadata: 'm'.repeat(5000) }] },
        'OFFSET_METADATA_TOO_LARGE',
      ],
      ['a missing topic', { g: 'guarded', o: [{ topic: 'nope', partition: 0, offset: 1 }] }, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [
        'a missing partition',
        {
          g: 'guarded',
          o: [
            { topic: 'ledger', partition: 0, offset: 1 },
            { topic: 'ledger', partition: 9, offset: 1 },
          ],
        },
        'UNKNOWN_TOPIC_OR_PARTITION',
      ],
      ['an unknown member', { g: 'guarded', o: [{ topic: 'ledger', partition: 0, offset: 1 }], m: 'nobody', gen: 1 }, 'UNKNOWN_MEMBER_ID'],
      [
        'a member without its generation',
        { g: 'guarded', o: [{ topic: 'ledger', partition: 0, offset: 1 }], m: 'nobody' },
        'BAD_USER_INPUT',
      ],
    ])('refuses %s', async (_what, variables, code) => {
      expect(await t.errorCode(COMMIT, variables)).toBe(code);
      expect(await committed()).toBe(5);
    });

    it('refuses absurd session timeouts when joining', async () => {
      for (const sessionTimeoutMs of [0, 1_000_000_000]) {
        const code = await t.errorCode(
          `mutation($s: Int) { pollRecords(group: "guarded-join", topic: "ledger", sessionTimeoutMs: $s) { memberId } }`,
          { s: sessionTimeoutMs },
        );
        expect(code).toBe('INVALID_SESSION_TIMEOUT');
      }
    });

    it('answers null for an unknown group and GROUP_ID_NOT_FOUND for its lag feed', async () => {
      expect(await t.ok(`{ consumerGroup(id: "never-seen") { id } }`)).toEqual({ consumerGroup: null });
      const sub = collect(t.wsClient(), `subscription { groupLag(group: "never-seen") { id } }`, {}, () => true);
      await expect(sub.done).rejects.toMatchObject({
        errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'GROUP_ID_NOT_FOUND' }) })],
      });
    });
  });

  it('resets offsets of an empty group to earliest, latest, an offset and a timestamp', async () => {
    const reset = async (variables: object) =>
      (await t.ok(RESET, { g: 'resettable', t: 'ledger', ...variables })).resetOffsets.map((r: any) => r.offset);
    expect(await reset({ to: 'LATEST' })).toEqual([10, 10]);
    expect(await reset({ to: 'EARLIEST' })).toEqual([0, 0]);
    expect(await reset({ to: 'OFFSET', o: 4 })).toEqual([4, 4]);
    const group = await describeGroup(t, 'resettable');
    expect(group.totalLag).toBe(12);
    // The oldest uncommitted record (offset 4) was stamped 96 s before the test started.
    for (const o of group.offsets) expect(o.timeLagMs).toBeGreaterThanOrEqual(96_000);
    const topicTimes = await t.ok(`{ records(topic: "ledger", partition: 0, offset: 6, limit: 1) { records { timestamp } } }`);
    expect(await reset({ to: 'TIMESTAMP', ts: topicTimes.records.records[0].timestamp })).toEqual([6, 6]);
    expect(await t.errorCode(RESET, { g: 'resettable', t: 'ledger', to: 'OFFSET' })).toBe('BAD_USER_INPUT');
    expect(await t.errorCode(RESET, { g: 'resettable', t: 'ledger', to: 'OFFSET', o: 99 })).toBe('OFFSET_OUT_OF_RANGE');
  });

  it('refuses to reset a group that has members', async () => {
    const member = join(t.wsClient(), { topic: 'ledger', group: 'busy', from: 'EARLIEST' });
    await waitForBalanced([member], 2);
    expect(await t.errorCode(RESET, { g: 'busy', t: 'ledger', to: 'EARLIEST' })).toBe('NON_EMPTY_GROUP');
    expect(await t.errorCode(COMMIT, { g: 'busy', o: [{ topic: 'ledger', partition: 0, offset: 1 }] })).toBe('UNKNOWN_MEMBER_ID');
    member.stop();
  });

  it('starts a member from the committed offset, and auto-commits what was delivered', async () => {
    await t.ok(RESET, { g: 'auto', t: 'ledger', to: 'OFFSET', o: 8 });
    const member = join(t.wsClient(), { topic: 'ledger', group: 'auto', from: 'EARLIEST', autoCommit: true });
    await waitFor(() => member.values().length === 4, 10_000, 'records from offset 8');
    expect(member.values().sort()).toEqual(['0-8', '0-9', '1-8', '1-9']);
    // Committed on the auto-commit interval (5 s) while the member lives; leaving commits nothing
    // (what was written to its socket last may never have been read).
    let group: any;
    for (const started = Date.now(); Date.now() - started < 10_000; await sleep(200)) {
      group = await describeGroup(t, 'auto');
      if (group.offsets.every((o: any) => o.committedOffset === 10)) break;
    }
    member.stop();
    expect(group.offsets.map((o: any) => o.committedOffset)).toEqual([10, 10]);
    expect(group.totalLag).toBe(0);
    expect(group.offsets.map((o: any) => o.timeLagMs)).toEqual([0, 0]);
  });

  it('pushes groupLag when records are produced and when offsets are committed', async () => {
    await t.ok(RESET, { g: 'watched', t: 'ledger', to: 'LATEST' });
    const sub = collect<{ groupLag: { totalLag: number } }>(
      t.wsClient(),
      `subscription { groupLag(group: "watched") { id state totalLag offsets { partition lag } } }`,
      {},
      () => false,
    );
    await waitFor(() => sub.events.length >= 1, 5_000, 'first push');
    expect(sub.events[0]!.groupLag.totalLag).toBe(0);
    await produceTo(t, 'ledger', 0, ['x', 'y', 'z']);
    await waitFor(() => sub.events.at(-1)!.groupLag.totalLag === 3, 5_000, 'lag 3 pushed');
    await t.ok(COMMIT, { g: 'watched', o: [{ topic: 'ledger', partition: 0, offset: 12 }] });
    await waitFor(() => sub.events.at(-1)!.groupLag.totalLag === 1, 5_000, 'lag 1 pushed after the commit');
    sub.stop();
  });
});
