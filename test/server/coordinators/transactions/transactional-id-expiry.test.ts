/**
 * transactional.id.expiration.ms (server/coordinators/transactions/README.md "Expiry") on a real
 * Broker (real logs and catalog) under a ManualClock/ManualScheduler: an id silent for the
 * expiration with nothing open is forgotten (its rows gone from the catalog, also after a reopen;
 * its old producer fenced; initProducer starts it afresh with a new producer id), never while its
 * transaction is open, and an initProducer counts as activity.
 */
import { ManualClock, ManualScheduler, type LogManager } from '../../../../storage';
import { Broker, type ProduceRequest } from '../../../../server/broker/index';
import type { Catalog } from '../../../../server/catalog/catalog';
import { openManualTimeBroker, type ManualTimeBroker } from '../../../support/manual-time-broker';
import { makeTmpDir, removeTmpDir } from '../../../support/tmp-dir';

const EXPIRATION_MS = 10_000;

let dir: string;
let clock: ManualClock;
let scheduler: ManualScheduler;
let logs: LogManager;
let catalog: Catalog;
let broker: Broker;

let node: ManualTimeBroker;

async function open(): Promise<void> {
  node = await openManualTimeBroker(dir, clock, scheduler, { transactionalIdExpirationMs: EXPIRATION_MS });
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
  await broker.createTopic({ name: 't', partitions: 1, replicationFactor: 1, configs: [] });
});
afterEach(async () => {
  await close();
  removeTmpDir(dir);
});

function produce(producer: { producerId: number; epoch: number }, sequence: number, value: string): ProduceRequest {
  return {
    topic: 't',
    acks: 'ALL',
    producer,
    sequence,
    records: [{ key: null, value: Buffer.from(value), headers: [], partition: 0, timestampMs: null }],
  };
}

const ids = () => broker.transactions.listTransactions().map((t) => t.transactionalId);

/** Advances the manual time; the scheduler awaits each sweep it runs (catalog writes included). */
const advance = (ms: number) => scheduler.advance(ms);

async function committedTransaction(id: string): Promise<{ producerId: number; epoch: number }> {
  const p = await broker.transactions.initProducer(id, 900_000);
  await broker.transactions.beginTransaction(p);
  await broker.produce(produce(p, 0, `${id}-record`));
  await broker.transactions.commitTransaction(p, []);
  return { ...p, epoch: p.epoch + 1 };
}

it('forgets an id silent for the expiration, exactly then; its old producer is fenced and a new init gets a new producer id', async () => {
  const next = await committedTransaction('quiet');
  await advance(EXPIRATION_MS - 1);
  expect(ids()).toEqual(['quiet']);
  await advance(1);
  expect(ids()).toEqual([]);
  expect(await catalog.getTransaction('quiet')).toBeNull();
  expect((await catalog.getProducer(next.producerId))?.transactionalId).toBeNull();
  // The old producer: no longer transactional, and its epoch fenced for plain idempotent use too.
  await expect(broker.transactions.beginTransaction(next)).rejects.toMatchObject({ code: 'INVALID_TXN_STATE' });
  await expect(broker.produce(produce(next, 0, 'late'))).rejects.toMatchObject({ code: 'PRODUCER_FENCED' });
  const fresh = await broker.transactions.initProducer('quiet', null);
  expect(fresh.producerId).not.toBe(next.producerId);
  expect(fresh.epoch).toBe(0);
  expect(broker.transactions.listTransactions()).toEqual([
    expect.objectContaining({ transactionalId: 'quiet', producerId: fresh.producerId, state: 'EMPTY' }),
  ]);
});

it('never forgets an id while its transaction is open; once it ends, the silence counts from the end', async () => {
  const p = await broker.transactions.initProducer('open', 900_000);
  await broker.transactions.beginTransaction(p);
  await broker.produce(produce(p, 0, 'pending'));
  await advance(5 * EXPIRATION_MS);
  expect(broker.transactions.listTransactions()).toEqual([expect.objectContaining({ transactionalId: 'open', state: 'ONGOING' })]);
  expect(await broker.transactions.commitTransaction(p, [])).toBe(true);
  await advance(EXPIRATION_MS - 1);
  expect(ids()).toEqual(['open']);
  await advance(EXPIRATION_MS);
  expect(ids()).toEqual([]);
});

it('an initProducer is activity: the silence starts again', async () => {
  await committedTransaction('busy');
  await advance(EXPIRATION_MS - 1_000);
  await broker.transactions.initProducer('busy', 900_000);
  await advance(EXPIRATION_MS - 1);
  expect(ids()).toEqual(['busy']);
  await advance(EXPIRATION_MS);
  expect(ids()).toEqual([]);
});

it('stays forgotten across a reopen, and an id expired while the node was down goes at the first sweep', async () => {
  await committedTransaction('gone');
  await advance(EXPIRATION_MS);
  await committedTransaction('down');
  await close();
  await advance(EXPIRATION_MS); // the node is down: nothing sweeps
  await open();
  expect(ids()).toEqual(['down']);
  await advance(EXPIRATION_MS / 2);
  expect(ids()).toEqual([]);
  expect(await catalog.getTransaction('gone')).toBeNull();
  expect(await catalog.getTransaction('down')).toBeNull();
});
