/**
 * The transaction coordinator's state machine (server/coordinators/transactions/README.md) on a
 * real Broker (real logs, real catalog) whose time is a ManualClock/ManualScheduler: the timeout
 * abort happens exactly when the clock passes it and not before, an end waits for the produce
 * calls in flight, states and epochs survive a reopen, and a refused call changes nothing.
 */
import path from 'node:path';
import { ManualClock, ManualScheduler, type LogManager } from '../../../../storage';
import { Broker, type ProduceRequest } from '../../../../server/broker/index';
import type { Catalog } from '../../../../server/catalog/catalog';
import { openManualTimeBroker, type ManualTimeBroker } from '../../../support/manual-time-broker';
import { makeTmpDir, removeTmpDir } from '../../../support/tmp-dir';
import { batchesOnDisk } from '../../../support/txn-log';

let dir: string;
let clock: ManualClock;
let scheduler: ManualScheduler;
let logs: LogManager;
let catalog: Catalog;
let broker: Broker;

let node: ManualTimeBroker;

async function open(): Promise<void> {
  node = await openManualTimeBroker(dir, clock, scheduler);
  ({ broker, catalog, logs } = node);
}

async function close(): Promise<void> {
  await node.close();
}

beforeEach(async () => {
  dir = makeTmpDir();
  clock = new ManualClock();
  scheduler = new ManualScheduler(clock);
  await open();
  await broker.createTopic({ name: 't', partitions: 2, replicationFactor: 1, configs: [] });
});
afterEach(async () => {
  await close();
  removeTmpDir(dir);
});

function produce(producer: { producerId: number; epoch: number }, sequence: number, partition: number, value: string): ProduceRequest {
  return {
    topic: 't',
    acks: 'ALL',
    producer,
    sequence,
    records: [{ key: null, value: Buffer.from(value), headers: [], partition, timestampMs: null }],
  };
}

const stateOf = (id: string) => broker.transactions.listTransactions().find((t) => t.transactionalId === id);

it('aborts an ONGOING transaction exactly when its timeout passes, with markers stamped by the bumped epoch', async () => {
  const p = await broker.transactions.initProducer('x', 5_000);
  await broker.transactions.beginTransaction(p);
  await broker.produce(produce(p, 0, 1, 'open'));
  await scheduler.advance(4_999);
  expect(stateOf('x')?.state).toBe('ONGOING');
  await scheduler.advance(1);
  // The abort runs off the timer (its markers fsync on the real disk): wait for it, bounded, rather than for a number of turns.
  for (const started = Date.now(); stateOf('x')?.state !== 'COMPLETE_ABORT' && Date.now() - started < 20_000;)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(stateOf('x')).toMatchObject({ state: 'COMPLETE_ABORT', epoch: p.epoch + 1, partitions: [] });
  expect((await batchesOnDisk(path.join(dir), 't', 1)).map((b) => [b.marker, b.producerEpoch])).toEqual([
    [null, 0],
    ['ABORT', 1],
  ]);
  await expect(broker.transactions.commitTransaction(p, [])).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
});

it('a commit waits for the produce calls in flight: no data lands after its marker, and the old epoch is fenced after it', async () => {
  const p = await broker.transactions.initProducer('y', null);
  await broker.transactions.beginTransaction(p);
  const inFlight = broker.produce(produce(p, 0, 0, 'in-flight'));
  const commit = broker.transactions.commitTransaction(p, []);
  // Sent while the commit is queued or draining: either still part of the transaction (before the marker) or refused.
  const racing = broker.produce(produce(p, 1, 0, 'racing')).then(
    () => 'appended',
    (error: { code?: string }) => error.code,
  );
  await inFlight;
  expect(await commit).toBe(true);
  expect(['appended', 'INVALID_TXN_STATE']).toContain(await racing);
  await expect(broker.produce(produce(p, 2, 0, 'late'))).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
  const batches = await batchesOnDisk(dir, 't', 0);
  expect(batches[batches.length - 1]?.marker).toBe('COMMIT');
  expect(batches.filter((b) => b.marker !== null)).toHaveLength(1);
});

it('keeps states, epochs and the open transaction across a reopen; the timer is re-armed for the time left', async () => {
  const p = await broker.transactions.initProducer('z', 10_000);
  await broker.transactions.beginTransaction(p);
  await broker.produce(produce(p, 0, 0, 'a'));
  await scheduler.advance(4_000);
  await close();
  await open();
  expect(stateOf('z')).toMatchObject({ state: 'ONGOING', partitions: [{ topic: 't', partition: 0 }], timeoutMs: 10_000 });
  await broker.produce(produce(p, 1, 1, 'b'));
  expect(stateOf('z')?.partitions).toEqual([
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]);
  await scheduler.advance(5_999);
  expect(stateOf('z')?.state).toBe('ONGOING');
  expect(await broker.transactions.commitTransaction(p, [])).toBe(true);
  await scheduler.advance(10_000);
  expect(stateOf('z')?.state).toBe('COMPLETE_COMMIT');
  const again = await broker.transactions.initProducer('z', null);
  expect(again).toEqual({ producerId: p.producerId, epoch: p.epoch + 2 });
});

it('refused calls change nothing', async () => {
  const p = await broker.transactions.initProducer('w', null);
  const before = stateOf('w');
  await expect(broker.transactions.beginTransaction({ ...p, epoch: p.epoch + 1 })).rejects.toMatchObject({
    code: 'INVALID_PRODUCER_EPOCH',
  });
  await expect(broker.transactions.commitTransaction(p, [])).rejects.toMatchObject({ code: 'INVALID_TXN_STATE' });
  await expect(broker.produce(produce(p, 0, 0, 'outside'))).rejects.toMatchObject({ code: 'INVALID_TXN_STATE' });
  await expect(broker.transactions.initProducer('w', 900_001)).rejects.toMatchObject({ code: 'INVALID_TRANSACTION_TIMEOUT' });
  await broker.transactions.beginTransaction(p);
  await expect(
    broker.transactions.commitTransaction(p, [{ group: 'g', topic: 'nope', partition: 0, offset: 0, metadata: null }]),
  ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
  expect(stateOf('w')?.state).toBe('ONGOING');
  await broker.transactions.abortTransaction(p);
  expect(before?.state).toBe('EMPTY');
  expect(await batchesOnDisk(dir, 't', 0)).toEqual([]);
});
