import { ASSIGNORS } from '../../../../server/coordinators/groups/assignors';
import { assertSingleOwners, labels, MemberProbe, openGroupFixture, settle, type GroupFixture } from './support/group-fixture';

let f: GroupFixture;
beforeEach(async () => {
  f = await openGroupFixture();
  await f.addTopic('orders', 6);
});
afterEach(async () => {
  await f.close();
});

const join = (groupId: string, extra: Record<string, unknown> = {}) =>
  f.coordinator.join({ groupId, topics: ['orders'], clientId: 'test', ...extra });

describe('splitting partitions', () => {
  for (const protocol of Object.keys(ASSIGNORS)) {
    it(`gives two and then three members disjoint sets covering every partition (${protocol})`, async () => {
      const members = [join('g', { protocol }).memberId, join('g', { protocol }).memberId];
      await settle(f.coordinator, 'g');
      let owned = f.coordinator.describe('g').members.map((m) => labels(m.assignment));
      expect(owned.flat().sort()).toEqual(labels(Array.from({ length: 6 }, (_, p) => ({ topic: 'orders', partition: p }))));
      expect(owned.map((o) => o.length)).toEqual([3, 3]);
      members.push(join('g', { protocol }).memberId);
      assertSingleOwners(f.coordinator, 'g');
      await settle(f.coordinator, 'g');
      owned = f.coordinator.describe('g').members.map((m) => labels(m.assignment));
      expect(owned.flat().sort()).toHaveLength(6);
      expect(new Set(owned.flat()).size).toBe(6);
      expect(owned.map((o) => o.length)).toEqual([2, 2, 2]);
      expect(f.coordinator.describe('g').state).toBe('Stable');
    });
  }
});

describe('lifecycle states', () => {
  it('goes Empty → CompletingRebalance → Stable → PreparingRebalance → CompletingRebalance → Stable → Empty', async () => {
    const states: string[] = [];
    f.coordinator.onGroupChange('g', (change) => {
      if (states[states.length - 1] !== change.state) states.push(change.state);
    });
    const a = join('g');
    await f.coordinator.acknowledge('g', a.memberId, a.generationId);
    const b = join('g'); // a must give up 3 partitions first
    await settle(f.coordinator, 'g');
    await f.coordinator.leave('g', a.memberId);
    await settle(f.coordinator, 'g');
    await f.coordinator.leave('g', b.memberId);
    expect(states).toEqual([
      'CompletingRebalance',
      'Stable',
      'PreparingRebalance',
      'CompletingRebalance',
      'Stable',
      'CompletingRebalance',
      'Stable',
      'Empty',
    ]);
  });
});

describe('cooperative handoff', () => {
  it('keeps unaffected partitions assigned throughout and hands moved ones over only after the old owner acknowledges', async () => {
    const a = join('g');
    const probeA = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    await probeA.acknowledge();
    expect(labels(f.coordinator.memberAssignment('g', a.memberId).assigned)).toHaveLength(6);

    const b = join('g');
    const probeB = new MemberProbe(() => f.coordinator, 'g', b.memberId);
    const revoked = probeA.lastOf('assignment')!.revoked;
    expect(revoked).toHaveLength(3);
    expect(f.coordinator.describe('g').state).toBe('PreparingRebalance');
    // b holds nothing yet: the three partitions are still a's (revoking) until a acknowledges.
    expect(b.assigned).toEqual([]);
    const kept = labels(f.coordinator.memberAssignment('g', a.memberId).assigned);
    expect(kept).toHaveLength(3);
    assertSingleOwners(f.coordinator, 'g');

    // a commits a revoked partition before acknowledging: accepted.
    const moved = revoked[0]!;
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: a.generationId,
      offsets: [{ ...moved, offset: 42 }],
    });
    await probeA.acknowledge();
    const handedOver = probeB.lastOf('assignment')!;
    expect(labels(handedOver.added)).toEqual(labels(revoked));
    expect(handedOver.added.find((p) => p.partition === moved.partition)!.committedOffset).toBe(42);
    // a was never told to stop the partitions it kept.
    const everRevokedFromA = probeA.events.flatMap((e) => (e.type === 'assignment' ? labels(e.revoked) : []));
    expect(everRevokedFromA.filter((label) => kept.includes(label))).toEqual([]);
    await probeB.acknowledge();
    expect(f.coordinator.describe('g').state).toBe('Stable');
  });

  it('removes a member that does not acknowledge within the rebalance timeout and hands its partitions over', async () => {
    const a = join('g', { rebalanceTimeoutMs: 5_000 });
    const probeA = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    await probeA.acknowledge();
    const b = join('g');
    await f.advance(2_000);
    await f.coordinator.heartbeat('g', a.memberId);
    await f.coordinator.heartbeat('g', b.memberId);
    await f.advance(3_500);
    expect(probeA.lastOf('fenced')?.reason).toBe('REBALANCE_TIMEOUT');
    expect(f.coordinator.memberAssignment('g', b.memberId).assigned).toHaveLength(6);
  });
});

describe('session expiry', () => {
  it('moves a silent member’s partitions to the survivors after the session timeout, starting at the committed offsets', async () => {
    const a = join('g', { sessionTimeoutMs: 10_000 });
    const b = join('g', { sessionTimeoutMs: 10_000 });
    await settle(f.coordinator, 'g');
    const aOwned = f.coordinator.memberAssignment('g', a.memberId).assigned;
    const aGeneration = f.coordinator.memberAssignment('g', a.memberId).generationId;
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: aGeneration,
      offsets: aOwned.map((tp, i) => ({ topic: tp.topic, partition: tp.partition, offset: 10 + i })),
    });
    const probeA = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    const probeB = new MemberProbe(() => f.coordinator, 'g', b.memberId);
    // b keeps heartbeating; a goes silent.
    for (let second = 0; second < 10; second++) {
      f.coordinator.heartbeat('g', b.memberId);
      await f.advance(1_000);
    }
    expect(f.coordinator.describe('g').members).toHaveLength(2); // 10 s exactly is not yet past the timeout
    f.coordinator.heartbeat('g', b.memberId);
    await f.advance(1_000);
    expect(probeA.lastOf('fenced')?.reason).toBe('SESSION_TIMEOUT');
    const added = probeB.lastOf('assignment')!.added;
    expect(labels(added)).toEqual(labels(aOwned));
    expect(added.map((p) => p.committedOffset).sort()).toEqual(aOwned.map((_, i) => 10 + i).sort());
    expect(f.coordinator.memberAssignment('g', b.memberId).assigned).toHaveLength(6);
  });

  it('rejects commits from a member that comes back after its session expired, leaving offsets unchanged', async () => {
    const a = join('g');
    const b = join('g');
    await settle(f.coordinator, 'g');
    const aView = f.coordinator.memberAssignment('g', a.memberId);
    const tp = aView.assigned[0]!;
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: aView.generationId,
      offsets: [{ ...tp, offset: 5 }],
    });
    for (let i = 0; i < 12; i++) {
      f.coordinator.heartbeat('g', b.memberId);
      await f.advance(1_000);
    }
    const zombie = f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: aView.generationId,
      offsets: [{ ...tp, offset: 50 }],
    });
    await expect(zombie).rejects.toMatchObject({ code: 'UNKNOWN_MEMBER_ID' });
    expect(() => f.coordinator.heartbeat('g', a.memberId)).toThrow(expect.objectContaining({ code: 'UNKNOWN_MEMBER_ID' }));
    expect((await f.catalog.fetchOffsets('g')).find((o) => o.partition === tp.partition)?.offset).toBe(5);
  });
});

describe('fenced commits', () => {
  it('rejects a stale generation and another member’s partition with ILLEGAL_GENERATION, changing nothing', async () => {
    const a = join('g');
    const b = join('g');
    await settle(f.coordinator, 'g');
    const aView = f.coordinator.memberAssignment('g', a.memberId);
    const bView = f.coordinator.memberAssignment('g', b.memberId);
    const foreign = bView.assigned[0]!;
    await expect(
      f.coordinator.commitOffsets({
        groupId: 'g',
        memberId: a.memberId,
        generationId: aView.groupGenerationId,
        offsets: [{ ...foreign, offset: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_GENERATION' });
    // A generation before the partition was assigned to b (b got its partitions in bView.generationId).
    await expect(
      f.coordinator.commitOffsets({
        groupId: 'g',
        memberId: b.memberId,
        generationId: bView.generationId - 1,
        offsets: [{ ...foreign, offset: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_GENERATION' });
    await expect(
      f.coordinator.commitOffsets({
        groupId: 'g',
        memberId: a.memberId,
        generationId: aView.groupGenerationId + 1,
        offsets: [{ ...aView.assigned[0]!, offset: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_GENERATION' });
    // One bad partition in a batch rejects the whole batch.
    await expect(
      f.coordinator.commitOffsets({
        groupId: 'g',
        memberId: a.memberId,
        generationId: aView.generationId,
        offsets: [
          { ...aView.assigned[0]!, offset: 1 },
          { ...foreign, offset: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_GENERATION' });
    expect(await f.catalog.fetchOffsets('g')).toEqual([]);
    expect(f.coordinator.committedOffsets('g')).toEqual([]);
  });

  it('accepts a commit naming an older generation for a partition the member kept since then', async () => {
    const a = join('g');
    await settle(f.coordinator, 'g');
    const before = f.coordinator.memberAssignment('g', a.memberId);
    join('g');
    await settle(f.coordinator, 'g');
    const kept = f.coordinator.memberAssignment('g', a.memberId).assigned[0]!;
    expect(f.coordinator.describe('g').generationId).toBeGreaterThan(before.generationId);
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: before.generationId,
      offsets: [{ topic: kept.topic, partition: kept.partition, offset: 7 }],
    });
    expect(f.coordinator.committedOffsets('g').map((o) => o.offset)).toEqual([7]);
  });
});

describe('static membership', () => {
  it('gives a static member that reconnects within the session timeout the same id and assignment, without a rebalance', async () => {
    const a = join('g', { groupInstanceId: 'pod-a' });
    const b = join('g', { groupInstanceId: 'pod-b' });
    await settle(f.coordinator, 'g');
    const probeB = new MemberProbe(() => f.coordinator, 'g', b.memberId);
    const before = f.coordinator.memberAssignment('g', a.memberId);
    const generationBefore = f.coordinator.describe('g').generationId;
    await f.coordinator.leave('g', a.memberId); // the pod restarts
    await f.advance(5_000);
    f.coordinator.heartbeat('g', b.memberId);
    const again = join('g', { groupInstanceId: 'pod-a' });
    expect(again.rejoined).toBe(true);
    expect(again.memberId).toBe(a.memberId);
    expect(labels(again.assigned)).toEqual(labels(before.assigned));
    expect(f.coordinator.describe('g').generationId).toBe(generationBefore);
    expect(probeB.events).toEqual([]);
  });

  it('fences the old connection when a new one takes over the same instance id', async () => {
    const a = join('g', { groupInstanceId: 'pod-a' });
    await settle(f.coordinator, 'g');
    const oldConnection = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    const again = join('g', { groupInstanceId: 'pod-a' });
    expect(again.memberId).toBe(a.memberId);
    expect(oldConnection.lastOf('fenced')?.reason).toBe('REPLACED');
  });

  it('ignores the replaced connection: its heartbeat, acknowledgement and leave do not touch the member the new one holds', async () => {
    const a = join('g', { groupInstanceId: 'pod-a', autoCommit: true });
    await settle(f.coordinator, 'g');
    const again = join('g', { groupInstanceId: 'pod-a', autoCommit: true });
    expect(again.connectionId).not.toBe(a.connectionId);
    const newConnection = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    expect(() => f.coordinator.heartbeat('g', a.memberId, a.connectionId)).toThrow(expect.objectContaining({ code: 'UNKNOWN_MEMBER_ID' }));
    await expect(f.coordinator.acknowledge('g', a.memberId, again.generationId, a.connectionId)).rejects.toMatchObject({
      code: 'UNKNOWN_MEMBER_ID',
    });
    expect(await f.coordinator.leave('g', a.memberId, { commitDelivered: true, connectionId: a.connectionId })).toBe(false);
    expect(f.coordinator.describe('g').members).toEqual([expect.objectContaining({ memberId: a.memberId, connected: true })]);
    f.coordinator.heartbeat('g', a.memberId, again.connectionId);
    join('g'); // a rebalance: the new connection hears it
    expect(newConnection.lastOf('assignment')?.revoked).toHaveLength(3);
  });

  it('does not disconnect the new connection when the old one’s leave was committing as it took over', async () => {
    const a = join('g', { groupInstanceId: 'pod-a', autoCommit: true });
    await settle(f.coordinator, 'g');
    f.coordinator.recordDelivered('g', a.memberId, { topic: 'orders', partition: 0 }, 5);
    const leaving = f.coordinator.leave('g', a.memberId, { commitDelivered: true, connectionId: a.connectionId });
    join('g', { groupInstanceId: 'pod-a' }); // while the leave's commit is in flight
    expect(await leaving).toBe(false);
    expect(f.coordinator.describe('g').members).toEqual([expect.objectContaining({ memberId: a.memberId, connected: true })]);
  });

  it('hands a static member’s partitions over when it does not come back within its session timeout', async () => {
    const a = join('g', { groupInstanceId: 'pod-a', sessionTimeoutMs: 10_000 });
    const b = join('g', { groupInstanceId: 'pod-b' });
    await settle(f.coordinator, 'g');
    await f.coordinator.leave('g', a.memberId);
    for (let i = 0; i < 11; i++) {
      f.coordinator.heartbeat('g', b.memberId);
      await f.advance(1_000);
    }
    expect(f.coordinator.describe('g').members.map((m) => m.memberId)).toEqual([b.memberId]);
    expect(f.coordinator.memberAssignment('g', b.memberId).assigned).toHaveLength(6);
  });
});

describe('pause and resume', () => {
  it('records paused partitions per member, tells the member, and refuses partitions it does not own', async () => {
    const a = join('g');
    const b = join('g');
    await settle(f.coordinator, 'g');
    const probe = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    const [first, second] = f.coordinator.memberAssignment('g', a.memberId).assigned;
    expect(labels(f.coordinator.pause('g', a.memberId, [first!, second!]))).toEqual(labels([first!, second!]));
    expect(labels(f.coordinator.resume('g', a.memberId, [first!]))).toEqual(labels([second!]));
    expect(labels(probe.lastOf('paused')!.paused)).toEqual(labels([second!]));
    const foreign = f.coordinator.memberAssignment('g', b.memberId).assigned[0]!;
    expect(() => f.coordinator.pause('g', a.memberId, [foreign])).toThrow(expect.objectContaining({ code: 'ILLEGAL_GENERATION' }));
    expect(labels(f.coordinator.memberAssignment('g', a.memberId).paused)).toEqual(labels([second!]));
  });
});

describe('auto-commit', () => {
  it('commits delivered offsets every autoCommitIntervalMs and before a revoked partition is handed over', async () => {
    const a = join('g', { autoCommit: true });
    await settle(f.coordinator, 'g');
    f.coordinator.recordDelivered('g', a.memberId, { topic: 'orders', partition: 0 }, 30);
    await f.advance(1_000);
    expect(f.coordinator.committedOffsets('g')).toEqual([]);
    f.coordinator.heartbeat('g', a.memberId);
    await f.advance(4_000);
    expect(f.coordinator.committedOffsets('g').map((o) => [o.partition, o.offset])).toEqual([[0, 30]]);

    for (let p = 0; p < 6; p++) f.coordinator.recordDelivered('g', a.memberId, { topic: 'orders', partition: p }, 60 + p);
    const b = join('g');
    const probeB = new MemberProbe(() => f.coordinator, 'g', b.memberId);
    await settle(f.coordinator, 'g');
    const added = probeB.lastOf('assignment')!.added;
    expect(added).toHaveLength(3);
    for (const p of added) expect(p.committedOffset).toBe(60 + p.partition);
  });
});

describe('topic changes', () => {
  it('assigns partitions added to a subscribed topic at the next tick', async () => {
    const a = join('g');
    await settle(f.coordinator, 'g');
    f.log.addTopic('orders', 8);
    f.coordinator.heartbeat('g', a.memberId);
    await f.advance(1_000);
    expect(f.coordinator.memberAssignment('g', a.memberId).assigned).toHaveLength(8);
  });

  it('forgets a deleted topic’s offsets and takes its partitions from the members', async () => {
    await f.addTopic('audit', 2);
    const a = f.coordinator.join({ groupId: 'g', topics: ['orders', 'audit'] });
    await settle(f.coordinator, 'g');
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: a.generationId,
      offsets: [{ topic: 'audit', partition: 1, offset: 4 }],
    });
    await f.catalog.deleteTopic('audit');
    f.log.removeTopic('audit');
    f.coordinator.topicDeleted('audit');
    expect(f.coordinator.committedOffsets('g')).toEqual([]);
    const view = f.coordinator.memberAssignment('g', a.memberId);
    expect(view.assigned.every((tp) => tp.topic === 'orders')).toBe(true);
    expect(view.assigned).toHaveLength(6);
    expect(view.revoking.map((tp) => tp.topic)).toEqual(['audit', 'audit']);
  });
});

describe('leaving', () => {
  it('commits what an auto-commit member was delivered when it leaves with commitDelivered', async () => {
    const a = join('g', { autoCommit: true });
    await settle(f.coordinator, 'g');
    f.coordinator.recordDelivered('g', a.memberId, { topic: 'orders', partition: 2 }, 17);
    expect(await f.coordinator.leave('g', a.memberId, { commitDelivered: true })).toBe(true);
    expect((await f.catalog.fetchOffsets('g')).map((o) => [o.partition, o.offset])).toEqual([[2, 17]]);
    expect(f.coordinator.describe('g').state).toBe('Empty');
  });

  it('commits nothing delivered when a member leaves without commitDelivered (the client may not have processed it)', async () => {
    const a = join('g', { autoCommit: true });
    await settle(f.coordinator, 'g');
    f.coordinator.recordDelivered('g', a.memberId, { topic: 'orders', partition: 2 }, 17);
    await f.coordinator.leave('g', a.memberId);
    expect(await f.catalog.fetchOffsets('g')).toEqual([]);
  });

  it('stops telling a replaced static connection anything about the new one', async () => {
    const a = join('g', { groupInstanceId: 'pod-a' });
    await settle(f.coordinator, 'g');
    const oldConnection = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    join('g', { groupInstanceId: 'pod-a' });
    const newConnection = new MemberProbe(() => f.coordinator, 'g', a.memberId);
    join('g'); // a rebalance: only the new connection hears about it
    expect(oldConnection.events.map((e) => e.type)).toEqual(['fenced']);
    expect(newConnection.lastOf('assignment')?.revoked).toHaveLength(3);
  });
});
