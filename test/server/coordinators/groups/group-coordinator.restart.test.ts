import { openGroupFixture, settle, type GroupFixture } from './support/group-fixture';

let f: GroupFixture;
beforeEach(async () => {
  f = await openGroupFixture();
  await f.addTopic('orders', 4);
});
afterEach(async () => {
  await f.close();
});

describe('restart', () => {
  it('brings every group back Empty with its committed offsets, metadata and generation', async () => {
    const a = f.coordinator.join({ groupId: 'g', topics: ['orders'], protocol: 'range' });
    await settle(f.coordinator, 'g');
    const view = f.coordinator.memberAssignment('g', a.memberId);
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: view.generationId,
      offsets: view.assigned.map((tp) => ({
        topic: tp.topic,
        partition: tp.partition,
        offset: 10 + tp.partition,
        metadata: `m${tp.partition}`,
      })),
    });
    await f.coordinator.commitOffsets({ groupId: 'other', offsets: [{ topic: 'orders', partition: 3, offset: 77 }] });
    const generationBefore = f.coordinator.describe('g').generationId;
    await f.restart();

    const g = f.coordinator.describe('g');
    expect(g.state).toBe('Empty');
    expect(g.members).toEqual([]);
    expect(g.generationId).toBe(generationBefore);
    expect(g.protocol).toBe('range');
    expect(f.coordinator.committedOffsets('g').map((o) => [o.partition, o.offset, o.metadata])).toEqual([
      [0, 10, 'm0'],
      [1, 11, 'm1'],
      [2, 12, 'm2'],
      [3, 13, 'm3'],
    ]);
    expect(f.coordinator.committedOffsets('other').map((o) => o.offset)).toEqual([77]);
    expect((await f.catalog.getGroup('g'))?.state).toBe('Empty');
    expect(f.coordinator.hasGroup('other')).toBe(true);
    expect(f.coordinator.hasGroup('never')).toBe(false);
  });

  it('rejects a pre-restart member’s commit and starts a new member from the committed offsets', async () => {
    const a = f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    await settle(f.coordinator, 'g');
    await f.coordinator.commitOffsets({
      groupId: 'g',
      memberId: a.memberId,
      generationId: a.generationId,
      offsets: [{ topic: 'orders', partition: 2, offset: 33 }],
    });
    await f.restart();
    await expect(
      f.coordinator.commitOffsets({
        groupId: 'g',
        memberId: a.memberId,
        generationId: a.generationId,
        offsets: [{ topic: 'orders', partition: 2, offset: 99 }],
      }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_MEMBER_ID' });
    const b = f.coordinator.join({ groupId: 'g', topics: ['orders'] });
    expect(b.generationId).toBeGreaterThan(a.generationId);
    expect(b.assigned.find((p) => p.partition === 2)?.committedOffset).toBe(33);
    expect(b.assigned.find((p) => p.partition === 0)?.committedOffset).toBeNull();
  });
});
