import { openGroupFixture, settle, type GroupFixture } from './support/group-fixture';

let f: GroupFixture;
beforeEach(async () => {
  f = await openGroupFixture();
  await f.addTopic('orders', 3, 100);
});
afterEach(async () => {
  await f.close();
});

const adminCommit = (groupId: string, offsets: { topic: string; partition: number; offset: number; metadata?: string | null }[]) =>
  f.coordinator.commitOffsets({ groupId, offsets });

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded ${(error as Error).name}`;
  }
  return undefined;
}

describe('bad input to commitOffsets changes nothing', () => {
  const cases: [string, () => Promise<unknown>, string][] = [
    ['a negative offset', () => adminCommit('g', [{ topic: 'orders', partition: 0, offset: -1 }]), 'BAD_USER_INPUT'],
    ['a fractional offset', () => adminCommit('g', [{ topic: 'orders', partition: 0, offset: 1.5 }]), 'BAD_USER_INPUT'],
    [
      'an offset beyond the high watermark',
      () => adminCommit('g', [{ topic: 'orders', partition: 0, offset: 101 }]),
      'OFFSET_OUT_OF_RANGE',
    ],
    [
      '1 MiB of metadata',
      () => adminCommit('g', [{ topic: 'orders', partition: 0, offset: 1, metadata: 'x'.repeat(1 << 20) }]),
      'OFFSET_METADATA_TOO_LARGE',
    ],
    ['an unknown topic', () => adminCommit('g', [{ topic: 'nope', partition: 0, offset: 1 }]), 'UNKNOWN_TOPIC_OR_PARTITION'],
    ['an unknown partition', () => adminCommit('g', [{ topic: 'orders', partition: 3, offset: 1 }]), 'UNKNOWN_TOPIC_OR_PARTITION'],
    ['a negative partition', () => adminCommit('g', [{ topic: 'orders', partition: -1, offset: 1 }]), 'BAD_USER_INPUT'],
    [
      'the same partition twice',
      () =>
        adminCommit('g', [
          { topic: 'orders', partition: 0, offset: 1 },
          { topic: 'orders', partition: 0, offset: 2 },
        ]),
      'BAD_USER_INPUT',
    ],
    ['an empty group id', () => adminCommit('', [{ topic: 'orders', partition: 0, offset: 1 }]), 'INVALID_GROUP_ID'],
    [
      'a 10,000-character group id',
      () => adminCommit('g'.repeat(10_000), [{ topic: 'orders', partition: 0, offset: 1 }]),
      'INVALID_GROUP_ID',
    ],
    [
      'a member id without a generation',
      () => f.coordinator.commitOffsets({ groupId: 'g', memberId: 'm', offsets: [{ topic: 'orders', partition: 0, offset: 1 }] }),
      'BAD_USER_INPUT',
    ],
    [
      'a member of an unknown group',
      () =>
        f.coordinator.commitOffsets({
          groupId: 'nobody',
          memberId: 'm',
          generationId: 1,
          offsets: [{ topic: 'orders', partition: 0, offset: 1 }],
        }),
      'GROUP_ID_NOT_FOUND',
    ],
  ];
  for (const [what, call, code] of cases) {
    it(`rejects ${what} with ${code}`, async () => {
      await adminCommit('g', [{ topic: 'orders', partition: 0, offset: 3, metadata: 'before' }]);
      // The valid first entry must not be applied either: all or nothing.
      expect(await codeOf(call)).toBe(code);
      const rows = await f.catalog.fetchOffsets('g');
      expect(rows.map((r) => [r.partition, r.offset, r.metadata])).toEqual([[0, 3, 'before']]);
      expect(f.coordinator.committedOffsets('g').map((r) => r.offset)).toEqual([3]);
    });
  }

  it('rejects an unknown member of a live group with UNKNOWN_MEMBER_ID', async () => {
    f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    expect(
      await codeOf(
        f.coordinator.commitOffsets({
          groupId: 'g',
          memberId: 'ghost',
          generationId: 1,
          offsets: [{ topic: 'orders', partition: 0, offset: 1 }],
        }),
      ),
    ).toBe('UNKNOWN_MEMBER_ID');
    expect(await f.catalog.fetchOffsets('g')).toEqual([]);
  });

  it('accepts metadata up to offsetMetadataMaxBytes and a commit at exactly the high watermark', async () => {
    const metadata = 'é'.repeat(2_048); // 4,096 UTF-8 bytes
    await adminCommit('g', [{ topic: 'orders', partition: 1, offset: 100, metadata }]);
    expect((await f.catalog.fetchOffsets('g'))[0]).toMatchObject({ partition: 1, offset: 100, metadata });
  });
});

describe('bad input to join', () => {
  it.each([
    ['a session timeout of 0', 'INVALID_SESSION_TIMEOUT', { sessionTimeoutMs: 0 }],
    ['a session timeout of 10^9 ms', 'INVALID_SESSION_TIMEOUT', { sessionTimeoutMs: 1e9 }],
    ['an empty group id', 'INVALID_GROUP_ID', { groupId: '' }],
    ['a 256-character group id', 'INVALID_GROUP_ID', { groupId: 'g'.repeat(256) }],
    ['no topics', 'BAD_USER_INPUT', { topics: [] }],
    ['an unknown topic', 'UNKNOWN_TOPIC_OR_PARTITION', { topics: ['nope'] }],
    ['an unknown assignor', 'BAD_USER_INPUT', { protocol: 'sticky-ish' }],
  ])('rejects %s with %s and creates no group', async (_what, code, override) => {
    expect(await codeOf(() => f.coordinator.join({ groupId: 'g', topics: ['orders'], ...override }))).toBe(code);
    expect(f.coordinator.listGroups()).toEqual([]);
  });

  it('rejects a member asking for another assignor than the live group uses', async () => {
    f.coordinator.join({ groupId: 'g', topics: ['orders'], protocol: 'range' });
    expect(await codeOf(() => f.coordinator.join({ groupId: 'g', topics: ['orders'], protocol: 'roundrobin' }))).toBe(
      'INCONSISTENT_GROUP_PROTOCOL',
    );
    expect(f.coordinator.describe('g').members).toHaveLength(1);
  });

  it('answers heartbeats and describes of unknown groups and members with clear codes', async () => {
    expect(await codeOf(() => f.coordinator.describe('nobody'))).toBe('GROUP_ID_NOT_FOUND');
    f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    expect(await codeOf(() => f.coordinator.heartbeat('g', 'ghost'))).toBe('UNKNOWN_MEMBER_ID');
    expect(await f.coordinator.leave('g', 'ghost')).toBe(false);
  });
});

describe('admin commits', () => {
  it('are accepted only while the group has no members', async () => {
    const member = f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    expect(await codeOf(adminCommit('g', [{ topic: 'orders', partition: 0, offset: 1 }]))).toBe('UNKNOWN_MEMBER_ID');
    await f.coordinator.leave('g', member.memberId);
    await adminCommit('g', [{ topic: 'orders', partition: 0, offset: 1 }]);
    expect(f.coordinator.committedOffsets('g').map((o) => o.offset)).toEqual([1]);
  });
});

describe('resetOffsets', () => {
  it('is refused with NON_EMPTY_GROUP while the group has members, changing nothing', async () => {
    await adminCommit('g', [{ topic: 'orders', partition: 0, offset: 9 }]);
    f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    expect(await codeOf(f.coordinator.resetOffsets('g', 'orders', { to: 'EARLIEST' }))).toBe('NON_EMPTY_GROUP');
    expect((await f.catalog.fetchOffsets('g')).map((o) => o.offset)).toEqual([9]);
  });

  it('moves every partition to earliest, latest, an offset or a timestamp', async () => {
    f.log.setWatermarks('orders', 1, { logStartOffset: 20, highWatermark: 80 });
    const offsets = async (target: Parameters<typeof f.coordinator.resetOffsets>[2]) =>
      (await f.coordinator.resetOffsets('g', 'orders', target)).map((o) => o.offset);
    expect(await offsets({ to: 'EARLIEST' })).toEqual([0, 20, 0]);
    expect(await offsets({ to: 'LATEST' })).toEqual([100, 80, 100]);
    expect(await offsets({ to: 'OFFSET', offset: 50 })).toEqual([50, 50, 50]);
    expect(await offsets({ to: 'TIMESTAMP', timestampMs: f.log.baseTimestampMs + 30_000 })).toEqual([30, 30, 30]);
    expect(await offsets({ to: 'TIMESTAMP', timestampMs: f.log.baseTimestampMs + 10_000_000 })).toEqual([100, 80, 100]);
    expect((await f.catalog.fetchOffsets('g')).map((o) => o.offset)).toEqual([100, 80, 100]);
  });

  it('rejects an offset outside the log and a negative one, changing nothing', async () => {
    await f.coordinator.resetOffsets('g', 'orders', { to: 'OFFSET', offset: 5 });
    expect(await codeOf(f.coordinator.resetOffsets('g', 'orders', { to: 'OFFSET', offset: 101 }))).toBe('OFFSET_OUT_OF_RANGE');
    expect(await codeOf(f.coordinator.resetOffsets('g', 'orders', { to: 'OFFSET', offset: -1 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(f.coordinator.resetOffsets('g', 'nope', { to: 'EARLIEST' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect((await f.catalog.fetchOffsets('g')).map((o) => o.offset)).toEqual([5, 5, 5]);
  });
});

describe('lag', () => {
  it('is high watermark minus committed offset per partition, summed, with the age of the oldest unconsumed record', async () => {
    await adminCommit('g', [
      { topic: 'orders', partition: 0, offset: 90 },
      { topic: 'orders', partition: 1, offset: 100 },
    ]);
    const lag = f.coordinator.lag('g');
    expect(lag.partitions.map((p) => [p.partition, p.committedOffset, p.lag])).toEqual([
      [0, 90, 10],
      [1, 100, 0],
    ]);
    expect(lag.totalLag).toBe(10);
    f.coordinator.join({ groupId: 'g', topics: ['orders'] }); // now partition 2 (uncommitted) counts in full
    expect(f.coordinator.lag('g').totalLag).toBe(110);
    f.clock.set(f.log.baseTimestampMs + 95_000);
    const timeLag = await f.coordinator.timeLag('g');
    expect(timeLag.map((p) => p.timeLagMs)).toEqual([5_000, 0, 95_000]);
  });
});

describe('change feed', () => {
  it('reports membership, assignment, state and offset changes, one event per operation', async () => {
    const changes: string[] = [];
    f.coordinator.onGroupChange('g', (change) => changes.push(`${[...change.kinds].sort().join('+')}:${change.state}`));
    const member = f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    await f.coordinator.acknowledge('g', member.memberId, member.generationId);
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: member.memberId,
      generationId: member.generationId,
      offsets: [{ topic: 'orders', partition: 0, offset: 1 }],
    });
    await f.coordinator.leave('g', member.memberId);
    expect(changes).toEqual([
      'assignment+membership+state:CompletingRebalance',
      'state:Stable',
      'offsets:Stable',
      'membership+state:Empty',
    ]);
  });
});

describe('deleteGroup', () => {
  it('deletes an empty group and its offsets, and refuses a group with members', async () => {
    await adminCommit('g', [{ topic: 'orders', partition: 0, offset: 1 }]);
    const member = f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    expect(await codeOf(f.coordinator.deleteGroup('g'))).toBe('NON_EMPTY_GROUP');
    await f.coordinator.leave('g', member.memberId);
    await settle(f.coordinator, 'g');
    await f.coordinator.deleteGroup('g');
    expect(await f.catalog.getGroup('g')).toBeNull();
    expect(await f.catalog.fetchOffsets('g')).toEqual([]);
    expect(await codeOf(() => f.coordinator.describe('g'))).toBe('GROUP_ID_NOT_FOUND');
  });
});
