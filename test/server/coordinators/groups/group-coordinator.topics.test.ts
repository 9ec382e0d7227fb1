/**
 * The topics a group consumes outlive its members: a group that consumed and never committed
 * still reports every partition of them, with the whole log as lag (issue #9 item 4), across a
 * restart; a deleted topic leaves the group; an idle group is forgotten after its retention.
 */
import { GroupCoordinator } from '../../../../server/coordinators/groups';
import type { GroupCatalog } from '../../../../server/coordinators/groups/coordinator-core';
import { openGroupFixture, settle, TEST_GROUP_CONFIG, type GroupFixture } from './support/group-fixture';

const RETENTION_MS = 60_000;

let f: GroupFixture;
beforeEach(async () => {
  f = await openGroupFixture({ ...TEST_GROUP_CONFIG, emptyGroupRetentionMs: RETENTION_MS });
  await f.addTopic('orders', 3, 100);
  await f.addTopic('payments', 2, 40);
});
afterEach(async () => {
  await f.close();
});

async function consumeAndLeave(groupId: string, topics: string[]): Promise<void> {
  const member = f.coordinator.join({ groupId, topics });
  await settle(f.coordinator, groupId);
  await f.coordinator.leave(groupId, member.memberId);
}

const rows = (groupId: string) => f.coordinator.lag(groupId).partitions.map((p) => [p.topic, p.partition, p.committedOffset, p.lag]);

describe('a group that consumed but never committed', () => {
  it('lists every partition of its topics with no committed offset and the whole log as lag, after its last member left', async () => {
    await consumeAndLeave('billing2', ['orders']);
    expect(f.coordinator.describe('billing2').state).toBe('Empty');
    expect(rows('billing2')).toEqual([
      ['orders', 0, null, 100],
      ['orders', 1, null, 100],
      ['orders', 2, null, 100],
    ]);
    expect(f.coordinator.lag('billing2').totalLag).toBe(300);
  });

  it('counts from the log start, and adds the partitions it committed on other topics', async () => {
    f.log.setWatermarks('orders', 1, { logStartOffset: 30, highWatermark: 100 });
    await consumeAndLeave('g', ['orders']);
    await f.coordinator.commitOffsets({ groupId: 'g', offsets: [{ topic: 'payments', partition: 1, offset: 10 }] });
    expect(rows('g')).toEqual([
      ['orders', 0, null, 100],
      ['orders', 1, null, 70],
      ['orders', 2, null, 100],
      ['payments', 1, 10, 30],
    ]);
    expect(f.coordinator.lag('g').totalLag).toBe(300);
  });

  it('remembers what the last members consumed, not topics every member has dropped', async () => {
    await consumeAndLeave('g', ['orders', 'payments']);
    await consumeAndLeave('g', ['payments']);
    expect(rows('g').map(([topic]) => topic)).toEqual(['payments', 'payments']);
  });

  it('keeps them across a restart', async () => {
    await consumeAndLeave('billing2', ['orders', 'payments']);
    await f.restart();
    expect(f.coordinator.lag('billing2').totalLag).toBe(3 * 100 + 2 * 40);
    expect(await f.catalog.fetchGroupTopics(['billing2'])).toEqual([['orders', 'payments']]);
  });

  it('forgets a deleted topic, in memory and in the catalog, and does not pick up a topic recreated with its name', async () => {
    await consumeAndLeave('g', ['orders', 'payments']);
    await f.coordinator.flush();
    f.log.removeTopic('payments');
    await f.catalog.deleteTopic('payments');
    f.coordinator.topicDeleted('payments');
    expect(rows('g').map(([topic]) => topic)).toEqual(['orders', 'orders', 'orders']);
    await f.addTopic('payments', 2, 40);
    expect(rows('g').map(([topic]) => topic)).toEqual(['orders', 'orders', 'orders']);
    await f.restart();
    expect(rows('g').map(([topic]) => topic)).toEqual(['orders', 'orders', 'orders']);
  });
});

describe('an idle group', () => {
  it('is forgotten once it has been Empty with no committed offsets for the retention, rows and all', async () => {
    await consumeAndLeave('idle', ['orders']);
    await consumeAndLeave('committed', ['orders']);
    await f.coordinator.commitOffsets({ groupId: 'committed', offsets: [{ topic: 'orders', partition: 0, offset: 5 }] });
    await f.advance(RETENTION_MS - 1_000);
    expect(f.coordinator.hasGroup('idle')).toBe(true);
    await f.advance(1_000);
    await f.coordinator.flush();
    expect(f.coordinator.hasGroup('idle')).toBe(false);
    expect(await f.catalog.getGroup('idle')).toBeNull();
    expect(await f.catalog.fetchGroupTopics(['idle'])).toEqual([[]]);
    expect(f.coordinator.hasGroup('committed')).toBe(true);
    await f.restart();
    expect(f.coordinator.hasGroup('idle')).toBe(false);
    expect(f.coordinator.hasGroup('committed')).toBe(true);
  });

  it('is kept, rows rewritten, when a member joins while its rows are being deleted', async () => {
    // The same catalog, with a join slipped in while deleteGroup runs (joins do not queue behind catalog writes).
    let member: { memberId: string } | null = null;
    const catalog = f.catalog;
    const methods = [
      'commitOffsets',
      'fetchOffsets',
      'fetchOffsetsForGroups',
      'deleteOffsets',
      'upsertGroup',
      'getGroup',
      'listGroups',
      'deleteGroup',
      'setGroupTopics',
      'fetchGroupTopics',
    ] as const;
    const delegate = Object.fromEntries(
      methods.map((name) => [name, (catalog[name] as (...args: unknown[]) => unknown).bind(catalog)]),
    ) as unknown as GroupCatalog;
    const joiningCatalog: GroupCatalog = Object.assign(delegate, {
      deleteGroup: async (groupId: string) => {
        const deleted = catalog.deleteGroup(groupId);
        member = f.coordinator.join({ groupId, topics: ['payments'] });
        await deleted;
      },
    });
    await f.coordinator.close();
    f.coordinator = await GroupCoordinator.open({
      catalog: joiningCatalog,
      log: f.log,
      clock: f.clock,
      config: { ...TEST_GROUP_CONFIG, emptyGroupRetentionMs: RETENTION_MS },
    });
    await consumeAndLeave('g', ['orders']);
    await f.coordinator.flush();
    await f.advance(RETENTION_MS);
    await f.coordinator.flush();
    expect(member).not.toBeNull();
    expect(f.coordinator.describe('g').members.map((m) => m.memberId)).toEqual([member!.memberId]);
    expect((await f.catalog.getGroup('g'))?.groupId).toBe('g');
    expect(await f.catalog.fetchGroupTopics(['g'])).toEqual([['payments']]);
  });

  it('counts its retention across a restart, and a member joining starts it again', async () => {
    await consumeAndLeave('g', ['orders']);
    await f.coordinator.flush();
    await f.advance(RETENTION_MS / 2);
    await f.restart();
    await f.advance(RETENTION_MS / 2);
    await f.coordinator.flush();
    expect(f.coordinator.hasGroup('g')).toBe(false);

    await consumeAndLeave('h', ['orders']);
    await f.advance(RETENTION_MS - 1_000);
    await consumeAndLeave('h', ['orders']);
    await f.advance(RETENTION_MS - 1_000);
    await f.coordinator.flush();
    expect(f.coordinator.hasGroup('h')).toBe(true);
    expect(f.coordinator.lag('h').totalLag).toBe(300);
  });
});
