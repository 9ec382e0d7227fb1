/**
 * The broker takes its time and its timers from the Clock and Scheduler it is given
 * (storage/io/clock.ts), so a test or a seeded simulation moves a whole node through minutes in
 * milliseconds: a long poll's deadline, the group tick that expires a silent member, the feeds'
 * throttle and the catalog's timestamps all follow a ManualClock/ManualScheduler. Real log, real
 * catalog.
 */
import path from 'node:path';
import { LogManager, ManualClock, ManualScheduler } from '../../../storage';
import { Broker, type PollRequest } from '../../../server/broker/index';
import { PARTITION_WATCH_INTERVAL_MS } from '../../../server/broker/partition-watch';
import type { Catalog } from '../../../server/catalog/catalog';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { loadConfig } from '../../../server/config';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };
const SESSION_TIMEOUT_MS = 10_000;

let dir: string;
let clock: ManualClock;
let scheduler: ManualScheduler;
let logs: LogManager;
let catalog: Catalog;
let broker: Broker;

beforeEach(async () => {
  dir = makeTmpDir();
  clock = new ManualClock();
  scheduler = new ManualScheduler(clock);
  catalog = await openCatalog({ databaseFile: path.join(dir, 'catalog.db'), clock });
  logs = await LogManager.open({ dataDir: path.join(dir, 'logs'), clock, scheduler });
  broker = await Broker.start({
    nodeId: 0,
    host: '127.0.0.1',
    port: 0,
    version: 'test',
    catalog,
    logs,
    clock,
    scheduler,
    limits: loadConfig([], {}).limits,
    logger: QUIET,
  });
});
afterEach(async () => {
  await broker.close();
  await logs.close();
  await catalog.close();
  removeTmpDir(dir);
});

function poll(memberId: string | null, maxWaitMs: number, sessionTimeoutMs = SESSION_TIMEOUT_MS): PollRequest {
  return {
    topic: 'events',
    memberId,
    from: 'EARLIEST',
    maxRecords: 10,
    maxWaitMs,
    isolation: 'READ_UNCOMMITTED',
    options: { group: 'g', groupInstanceId: null, sessionTimeoutMs, assignor: null, autoCommit: false, clientId: null, host: null },
  };
}

/** Real time passes only so the poll can reach its wait; bounded, never a timing. */
async function untilPending(count: number): Promise<void> {
  for (let turn = 0; turn < 2_000 && scheduler.pending < count; turn++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(scheduler.pending).toBe(count);
}

/** The promise's value, or a failure if it has not settled within `ms` of real time (an "answers at all" guard). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms of real time`)), ms)),
  );
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('the broker on a manual clock and scheduler', () => {
  it('stamps catalog rows with the injected clock', async () => {
    const topic = await broker.createTopic({ name: 'events', partitions: 1, replicationFactor: 1, configs: [] });
    expect(topic.createdAtMs).toBe(clock.nowMs());
  });

  it('ends a long poll when the scheduler passes its deadline, not the wall clock', async () => {
    await broker.createTopic({ name: 'events', partitions: 1, replicationFactor: 1, configs: [] });
    const waiting = broker.pollRecords(poll(null, 30_000, 60_000)); // the wait stays inside the session
    await untilPending(3); // the group tick, the transactional-id expiry sweep and this poll's deadline
    await scheduler.advance(30_000);
    const result = await within(waiting, 10_000);
    expect(result.batches).toEqual([]);
    expect(result.assignment).toEqual([0]);
  });

  it('expires a pull member that stopped polling on the scheduled group tick', async () => {
    await broker.createTopic({ name: 'events', partitions: 1, replicationFactor: 1, configs: [] });
    const { memberId } = await within(broker.pollRecords(poll(null, 0)), 10_000);
    expect(broker.describeGroups(['g'])[0]!.members.map((m) => m.memberId)).toEqual([memberId]);
    await scheduler.advance(SESSION_TIMEOUT_MS - 1_000);
    expect(broker.describeGroups(['g'])[0]!.members).toHaveLength(1);
    await scheduler.advance(2_000);
    expect(broker.describeGroups(['g'])[0]!.members).toEqual([]);
  });

  it('holds the next push of a partition feed until the scheduler passes the throttle interval', async () => {
    await broker.createTopic({ name: 'events', partitions: 1, replicationFactor: 1, configs: [] });
    const feed = broker.watchPartitions('events');
    try {
      expect((await within(feed.next(), 10_000)).value[0].highWatermark).toBe(0);
      await produceOne();
      const second = feed.next();
      await untilPending(3); // the group tick, the expiry sweep and the feed's throttle
      expect(await settledNow(second)).toBe(false);
      await scheduler.advance(PARTITION_WATCH_INTERVAL_MS);
      expect((await within(second, 10_000)).value[0].highWatermark).toBe(1);
    } finally {
      await feed.return?.();
    }
  });

  it('ends a partition feed at once when it is returned during its throttle wait, and cancels the timer', async () => {
    await broker.createTopic({ name: 'events', partitions: 1, replicationFactor: 1, configs: [] });
    const feed = broker.watchPartitions('events');
    await within(feed.next(), 10_000);
    await produceOne();
    const second = feed.next();
    await untilPending(3);
    await within(feed.return!(), 10_000);
    expect(await within(second, 10_000)).toEqual({ done: true, value: undefined });
    expect(scheduler.pending).toBe(2); // only the group tick and the expiry sweep are left
  });
});

async function produceOne(): Promise<void> {
  await broker.produce({
    topic: 'events',
    acks: 'LEADER',
    records: [{ partition: 0, key: null, value: Buffer.from('a'), headers: [], timestampMs: null }],
  });
}

/** Whether the promise has settled by the next macrotask turn (a "not yet", never a timing). */
async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(pending)))])) !== pending;
}
