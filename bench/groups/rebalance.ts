/**
 * Consumer-group coordinator figures, on a real temp-dir SQLite catalog:
 * - rebalance time when a member joins a group of N members over P partitions: the join call
 *   (assignor + revocations), and the full cooperative handoff (every member acknowledges until
 *   the group is Stable again);
 * - rebalance time when a member dies: the tick that expires it and hands its partitions to the
 *   survivors, plus their acknowledgements (the session timeout itself is excluded: the clock is
 *   a ManualClock advanced past it);
 * - offset commits per second through the coordinator (validation, fencing, catalog transaction,
 *   cache): one partition per commit awaited one by one, 10 partitions per commit, and 16 members
 *   committing concurrently.
 *
 * Run: node dist/bench/groups/rebalance.js [--seconds 2] [--dir <path>]
 * Prints figures, never asserts (docs/HOUSE-STYLE.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCoordinator, type AssignorName, type GroupLogView } from '../../server/coordinators/groups';
import type { Catalog } from '../../server/catalog/catalog';
import { openCatalog } from '../../server/catalog/prisma-catalog';
import { ManualClock } from '../../storage/io/clock';

const COMMITS_MAX = 100_000;

function argument(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function logView(partitionCount: number): GroupLogView {
  return {
    partitionCount: (topic) => (topic === 'orders' ? partitionCount : null),
    watermarks: (topic, partition) =>
      topic === 'orders' && partition < partitionCount ? { logStartOffset: 0, highWatermark: 1e12 } : null,
    offsetForTimestamp: async () => null,
  };
}

async function setUp(
  dir: string,
  name: string,
  partitionCount: number,
): Promise<{ catalog: Catalog; coordinator: GroupCoordinator; clock: ManualClock }> {
  const catalog = await openCatalog({ databaseFile: join(dir, `${name}.db`) });
  const partitions = Array.from({ length: partitionCount }, (_, partition) => ({
    topic: 'orders',
    partition,
    leaderId: 1,
    leaderEpoch: 0,
    replicas: [1],
    isr: [1],
  }));
  await catalog.createTopic({ name: 'orders', internal: false, partitionCount, replicationFactor: 1, configs: {} }, partitions);
  const clock = new ManualClock();
  const coordinator = await GroupCoordinator.open({ catalog, log: logView(partitionCount), clock });
  return { catalog, coordinator, clock };
}

async function settle(coordinator: GroupCoordinator): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const description = coordinator.describe('g');
    if (description.state === 'Stable' || description.state === 'Empty') return;
    for (const m of description.members)
      if (m.awaitingAck || m.revoking.length > 0) await coordinator.acknowledge('g', m.memberId, m.generationId);
  }
  throw new Error('group did not settle');
}

const ms = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e6;

async function rebalanceFigures(
  dir: string,
  protocol: AssignorName,
  memberCount: number,
  partitionCount: number,
  quiet = false,
): Promise<void> {
  const { catalog, coordinator, clock } = await setUp(
    dir,
    `rebalance-${protocol}-${memberCount}-${partitionCount}${quiet ? '-warm-up' : ''}`,
    partitionCount,
  );
  const ids: string[] = [];
  for (let i = 0; i < memberCount; i++) {
    ids.push(coordinator.join({ groupId: 'g', topics: ['orders'], protocol, sessionTimeoutMs: 10_000 }).memberId);
    await settle(coordinator);
  }
  let startNs = process.hrtime.bigint();
  const joined = coordinator.join({ groupId: 'g', topics: ['orders'], protocol, sessionTimeoutMs: 10_000 });
  const joinMs = ms(startNs);
  await settle(coordinator);
  const joinHandoffMs = ms(startNs);
  ids.push(joined.memberId);

  // Everyone but the first member heartbeats; advance past its session timeout.
  clock.advance(9_000);
  for (const id of ids.slice(1)) coordinator.heartbeat('g', id);
  clock.advance(1_500);
  startNs = process.hrtime.bigint();
  await coordinator.tick();
  const expireMs = ms(startNs);
  await settle(coordinator);
  const deathHandoffMs = ms(startNs);
  const moved = coordinator.describe('g').members.length;
  if (!quiet)
    console.log(
      `${protocol.padEnd(18)} ${String(memberCount).padStart(4)}+1 members ${String(partitionCount).padStart(5)} partitions: ` +
        `join ${joinMs.toFixed(2)} ms, join→Stable ${joinHandoffMs.toFixed(2)} ms; ` +
        `death tick ${expireMs.toFixed(2)} ms, death→Stable ${deathHandoffMs.toFixed(2)} ms (${moved} survivors)`,
    );
  await coordinator.close();
  await catalog.close();
}

async function commitFigures(dir: string, seconds: number, batchSize: number, concurrency: number): Promise<void> {
  const partitionCount = 64;
  const { catalog, coordinator } = await setUp(dir, `commits-${batchSize}-${concurrency}`, partitionCount);
  const members = [];
  for (let i = 0; i < concurrency; i++) members.push(coordinator.join({ groupId: 'g', topics: ['orders'] }).memberId);
  await settle(coordinator);
  const views = members.map((id) => coordinator.memberAssignment('g', id));
  // The same pattern straight on the catalog, just before: separates the coordinator's cost from
  // the disk's (each commit is one SQLite transaction with an fsync; other processes share the disk).
  let rawCommits = 0;
  const rawDeadlineNs = process.hrtime.bigint() + BigInt(Math.round((seconds / 2) * 1e9));
  const rawStartNs = process.hrtime.bigint();
  await Promise.all(
    views.map(async (view) => {
      for (let round = 0; process.hrtime.bigint() < rawDeadlineNs && rawCommits < COMMITS_MAX; round++) {
        const offsets = Array.from({ length: Math.min(batchSize, view.assigned.length) }, (_, i) => {
          const tp = view.assigned[(round + i) % view.assigned.length]!;
          return { topic: tp.topic, partition: tp.partition, offset: round + 1, metadata: null, commitTimeMs: Date.now() };
        });
        await catalog.commitOffsets('raw', offsets);
        rawCommits += 1;
      }
    }),
  );
  const rawRate = Math.round(rawCommits / (Number(process.hrtime.bigint() - rawStartNs) / 1e9));
  const deadlineNs = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const startNs = process.hrtime.bigint();
  let commits = 0;
  await Promise.all(
    views.map(async (view) => {
      let round = 0;
      while (commits < COMMITS_MAX && process.hrtime.bigint() < deadlineNs) {
        const offsets = Array.from({ length: Math.min(batchSize, view.assigned.length) }, (_, i) => {
          const tp = view.assigned[(round + i) % view.assigned.length]!;
          return { topic: tp.topic, partition: tp.partition, offset: round + 1 };
        });
        await coordinator.commitOffsets({ groupId: 'g', memberId: view.memberId, generationId: view.generationId, offsets });
        commits += 1;
        round += 1;
      }
    }),
  );
  const elapsedS = Number(process.hrtime.bigint() - startNs) / 1e9;
  console.log(
    `commits: ${String(batchSize).padStart(3)} partition(s) each, ${String(concurrency).padStart(2)} member(s) committing concurrently: ` +
      `${Math.round(commits / elapsedS)} commits/s (${Math.round((commits * batchSize) / elapsedS)} offsets/s, ${commits} commits); ` +
      `catalog alone, same pattern: ${rawRate} commits/s`,
  );
  await coordinator.close();
  await catalog.close();
}

async function main(): Promise<void> {
  const seconds = Number(argument('--seconds') ?? '2');
  const dir = argument('--dir') ?? mkdtempSync(join(tmpdir(), 'logway-bench-groups-'));
  try {
    // JIT warm-up: the first rebalance of a process is several times slower than the rest.
    for (const protocol of ['cooperative-sticky', 'range', 'roundrobin'] as const) await rebalanceFigures(dir, protocol, 10, 100, true);
    for (const protocol of ['cooperative-sticky', 'range', 'roundrobin'] as const) {
      for (const [members, partitions] of [
        [10, 100],
        [100, 1_000],
      ] as const)
        await rebalanceFigures(dir, protocol, members, partitions);
    }
    await commitFigures(dir, seconds, 1, 1);
    await commitFigures(dir, seconds, 10, 1);
    await commitFigures(dir, seconds, 1, 16);
  } finally {
    if (argument('--dir') === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
