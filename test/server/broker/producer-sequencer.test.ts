/**
 * The call-level ordering of an idempotent producer (server/broker/producer-sequencer.ts) over a
 * real catalog: the wrap from 2^31-1 to 0 (bad input 44), the expected sequence rebuilt from what
 * the partitions logged, expiry, and a wait that ends in OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ProducerSequencer, type LoggedSequence } from '../../../server/broker/producer-sequencer';
import type { Catalog } from '../../../server/catalog/catalog';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { SystemScheduler } from '../../../storage/index';
import { makeTmpDir } from '../../support/tmp-dir';

const DAY_MS = 86_400_000;

describe('ProducerSequencer', () => {
  let dir: string;
  let catalog: Catalog;
  let nowMs: number;
  beforeEach(async () => {
    dir = makeTmpDir('sequencer-');
    catalog = await openCatalog({ databaseFile: path.join(dir, 'catalog.db') });
    nowMs = 1_800_000_000_000;
  });
  afterEach(async () => {
    await catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  function sequencer(logged: LoggedSequence[] = [], waitMs = 200): ProducerSequencer {
    return new ProducerSequencer({
      catalog,
      nowMs: () => nowMs,
      scheduler: new SystemScheduler(),
      loggedSequences: () => logged,
      expirationMs: DAY_MS,
      waitMs,
    });
  }
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );

  it('takes 2^31-1 then 0 as the wrap-around, and 2^31-1 again as a retry', async () => {
    const { producerId, epoch } = await catalog.createProducer(nowMs);
    const s = sequencer([{ epoch: 0, sequence: 2 ** 31 - 2, lastTimestampMs: nowMs }]);
    const ran: number[] = [];
    const call = (sequence: number) => s.run({ producerId, epoch }, sequence, async () => ran.push(sequence));
    await call(2 ** 31 - 1);
    await call(0);
    await call(2 ** 31 - 1); // a retry: the logs answer it, the sequencer lets it through
    expect(await codeOf(call(2))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    await call(1);
    expect(ran).toEqual([2 ** 31 - 1, 0, 2 ** 31 - 1, 1]);
  });

  it('rebuilds the expected sequence from the newest logged batch of the current epoch', async () => {
    const { producerId } = await catalog.createProducer(nowMs);
    const s = sequencer([
      { epoch: 0, sequence: 6, lastTimestampMs: nowMs },
      { epoch: 0, sequence: 9, lastTimestampMs: nowMs },
    ]);
    expect(await codeOf(s.run({ producerId, epoch: 0 }, 12, async () => 'x'))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(await s.run({ producerId, epoch: 0 }, 10, async () => 'next')).toBe('next');
  });

  it('forgets a producer silent for producer.id.expiration.ms: only sequence 0 restarts it', async () => {
    const { producerId } = await catalog.createProducer(nowMs);
    const s = sequencer();
    await s.run({ producerId, epoch: 0 }, 0, async () => undefined);
    nowMs += DAY_MS;
    expect(await codeOf(s.run({ producerId, epoch: 0 }, 1, async () => undefined))).toBe('UNKNOWN_PRODUCER_ID');
    await s.run({ producerId, epoch: 0 }, 0, async () => undefined);
  });

  it('refuses ids never handed out and epochs that are not the current one', async () => {
    const { producerId } = await catalog.createProducer(nowMs);
    const s = sequencer();
    expect(await codeOf(s.run({ producerId: producerId + 1, epoch: 0 }, 0, async () => undefined))).toBe('UNKNOWN_PRODUCER_ID');
    expect(await codeOf(s.run({ producerId, epoch: 3 }, 0, async () => undefined))).toBe('PRODUCER_FENCED');
  });

  it('calls whose predecessors all arrived wait for a slow running call however long it takes (only a gap times out)', async () => {
    const { producerId } = await catalog.createProducer(nowMs);
    const s = sequencer([], 50);
    let release!: () => void;
    const slow = s.run({ producerId, epoch: 0 }, 0, () => new Promise<string>((resolve) => (release = () => resolve('slow'))));
    const order: number[] = [];
    const rest = [4, 2, 1, 3].map((seq) => s.run({ producerId, epoch: 0 }, seq, async () => order.push(seq)));
    await new Promise((resolve) => setTimeout(resolve, 150)); // three times the wait for a gap
    nowMs += 150;
    release();
    expect(await slow).toBe('slow');
    await Promise.all(rest);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('runs calls one at a time in sequence order; one whose predecessor never comes times out', async () => {
    const { producerId } = await catalog.createProducer(nowMs);
    const s = sequencer([], 300);
    const order: number[] = [];
    const calls = [3, 1, 0, 2].map((seq) =>
      s.run({ producerId, epoch: 0 }, seq, async () => {
        order.push(seq);
        await new Promise((resolve) => setImmediate(resolve));
      }),
    );
    await Promise.all(calls);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(await codeOf(s.run({ producerId, epoch: 0 }, 5, async () => undefined))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });
});
