/**
 * The produce use case against real logs and a real catalog, checking what the README's
 * "Semantics in brief" promises: partitioning (explicit, murmur2 of the key, sticky for keyless
 * records), atomicity per partition (a call is validated whole; one batch per partition), acks,
 * timestamps, and the limits a call must stay within.
 */
import { produce } from '../../../server/broker/produce';
import type { Acks, ProduceRecord } from '../../../server/broker/types';
import { openBrokerFixture, produceRecord, type BrokerFixture } from '../../support/broker-fixture';

let node: BrokerFixture;

beforeEach(async () => {
  node = await openBrokerFixture({ limits: { produceRecordsMax: 50, headersPerRecordMax: 2 } });
});
afterEach(async () => {
  await node.close();
});

const send = (topic: string, records: ProduceRecord[], acks: Acks = 'ALL') => produce(node.deps, { topic, acks, records });
const partitionOf = (topic: string, partition: number) => node.deps.registry.requirePartition(topic, partition);
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? String(error),
  );

/** Batches in a partition's log: [baseOffset, lastOffset] each. */
async function batchesOf(topic: string, partition: number): Promise<[number, number][]> {
  const { log } = partitionOf(topic, partition);
  const batches = await log.read(0, { maxBytes: 1 << 20, maxOffset: log.logEndOffset });
  return batches.map((b) => [b.baseOffset, b.lastOffset]);
}

describe('produce: partitioning', () => {
  it('puts a keyed record where Kafka would: toPositive(murmur2(key)) % partitions', async () => {
    await node.createTopic('orders', 3);
    // The README's example: key "c-1" goes to partition 2 of 3.
    const outcome = await send('orders', [produceRecord('{"total": 12}', { key: 'c-1' }), produceRecord('again', { key: 'c-1' })]);
    expect(outcome.records.map((r) => [r.partition, r.offset])).toEqual([
      [2, 0],
      [2, 1],
    ]);
  });

  it('lets an explicit partition win over the key', async () => {
    await node.createTopic('orders', 3);
    const outcome = await send('orders', [produceRecord('v', { key: 'c-1', partition: 0 })]);
    expect(outcome.records[0]!.partition).toBe(0);
    expect(partitionOf('orders', 0).log.logEndOffset).toBe(1);
  });

  it('keeps the keyless records of one call on one partition and moves the next call on', async () => {
    await node.createTopic('events', 4);
    const first = await send(
      'events',
      ['a', 'b', 'c'].map((v) => produceRecord(v)),
    );
    const second = await send(
      'events',
      ['d', 'e'].map((v) => produceRecord(v)),
    );
    expect(new Set(first.records.map((r) => r.partition)).size).toBe(1);
    expect(new Set(second.records.map((r) => r.partition)).size).toBe(1);
    expect(second.records[0]!.partition).not.toBe(first.records[0]!.partition);
  });

  it('refuses a partition the topic does not have, and an unknown topic', async () => {
    await node.createTopic('events', 2);
    expect(await codeOf(send('events', [produceRecord('v', { partition: 2 })]))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await codeOf(send('events', [produceRecord('v', { partition: -1 })]))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await codeOf(send('nope', [produceRecord('v')]))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('produce: atomicity per partition', () => {
  it("writes each partition's records of a call as one batch, in call order", async () => {
    await node.createTopic('events', 2);
    const records = [0, 1, 0, 1, 0].map((partition, i) => produceRecord(`v${i}`, { partition }));
    const outcome = await send('events', records);
    expect(outcome.records.map((r) => [r.partition, r.offset])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 2],
    ]);
    expect(outcome.partitions).toEqual([
      { partition: 0, baseOffset: 0, lastOffset: 2, count: 3 },
      { partition: 1, baseOffset: 0, lastOffset: 1, count: 2 },
    ]);
    expect(await batchesOf('events', 0)).toEqual([[0, 2]]);
    expect(await batchesOf('events', 1)).toEqual([[0, 1]]);
  });

  it('writes nothing of a call, in any partition, when one record is rejected', async () => {
    await node.createTopic('events', 2);
    const tooManyHeaders = { ...produceRecord('bad', { partition: 1 }), headers: [1, 2, 3].map((i) => ({ key: `h${i}`, value: null })) };
    const badTimestamp = produceRecord('bad', { partition: 1, timestampMs: -5 });
    for (const bad of [tooManyHeaders, badTimestamp, produceRecord('bad', { partition: 7 })]) {
      await expect(send('events', [produceRecord('good', { partition: 0 }), bad])).rejects.toHaveProperty('code');
    }
    expect(partitionOf('events', 0).log.logEndOffset).toBe(0);
    expect(partitionOf('events', 1).log.logEndOffset).toBe(0);
  });

  it("refuses a partition's batch over max.message.bytes whole (RECORD_TOO_LARGE), writing none of it", async () => {
    await node.createTopic('small', 1, { 'max.message.bytes': '1000' });
    const records = Array.from({ length: 4 }, (_, i) => produceRecord(`${i}`.padEnd(300, 'x'), { partition: 0 }));
    expect(await codeOf(send('small', records))).toBe('RECORD_TOO_LARGE');
    expect(partitionOf('small', 0).log.logEndOffset).toBe(0);
    await send('small', records.slice(0, 2)); // the same records in a smaller call fit
    expect(partitionOf('small', 0).log.logEndOffset).toBe(2);
  });
});

describe('produce: acks', () => {
  it.each(['ALL', 'LEADER'] as const)('acks %s answers with offsets the high watermark already covers', async (acks) => {
    await node.createTopic('events', 1);
    const outcome = await send(
      'events',
      ['a', 'b'].map((v) => produceRecord(v)),
      acks,
    );
    expect(outcome.records.map((r) => r.offset)).toEqual([0, 1]);
    expect(partitionOf('events', 0).replica.highWatermark).toBe(2);
  });

  it('acks NONE answers once validated, with offsets -1, and the records are appended after', async () => {
    await node.createTopic('events', 1);
    const outcome = await send(
      'events',
      ['a', 'b', 'c'].map((v) => produceRecord(v)),
      'NONE',
    );
    expect(outcome.records).toEqual([0, 1, 2].map(() => ({ partition: 0, offset: -1, timestampMs: -1 })));
    expect(outcome.partitions).toEqual([{ partition: 0, baseOffset: -1, lastOffset: -1, count: 3 }]);
    const { replica } = partitionOf('events', 0);
    for (let i = 0; i < 500 && replica.highWatermark < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(replica.highWatermark).toBe(3);
    expect(node.backgroundErrors).toEqual([]);
  });

  it('acks NONE still validates the call first', async () => {
    await node.createTopic('events', 1);
    expect(await codeOf(send('events', [produceRecord('v', { partition: 3 })], 'NONE'))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('produce: timestamps', () => {
  it('stamps a record without a timestamp with the node clock, and keeps a given one', async () => {
    await node.createTopic('events', 1);
    const given = node.clock.nowMs() - 60_000;
    const outcome = await send('events', [produceRecord('now'), produceRecord('given', { timestampMs: given })]);
    expect(outcome.records.map((r) => r.timestampMs)).toEqual([node.clock.nowMs(), given]);
  });

  it('refuses a timestamp further ahead than message.timestamp.after.max.ms (1 h by default)', async () => {
    await node.createTopic('events', 1);
    const now = node.clock.nowMs();
    expect(await codeOf(send('events', [produceRecord('v', { timestampMs: now + 3_600_001 })]))).toBe('INVALID_RECORD');
    await send('events', [produceRecord('v', { timestampMs: now + 3_600_000 })]);
    await node.createTopic('strict', 1, { 'message.timestamp.before.max.ms': '1000' });
    expect(await codeOf(send('strict', [produceRecord('v', { timestampMs: now - 1_001 })]))).toBe('INVALID_RECORD');
  });

  it('answers the log append time on a LogAppendTime topic', async () => {
    await node.createTopic('stamped', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const outcome = await send('stamped', [produceRecord('v', { timestampMs: 1 })]);
    expect(outcome.records[0]!.timestampMs).toBe(node.clock.nowMs());
  });
});

describe('produce: limits', () => {
  it('refuses an empty call (BAD_USER_INPUT) and one over the records-per-call limit (LIMIT_EXCEEDED)', async () => {
    await node.createTopic('events', 1);
    expect(await codeOf(send('events', []))).toBe('BAD_USER_INPUT');
    expect(
      await codeOf(
        send(
          'events',
          Array.from({ length: 51 }, () => produceRecord('v')),
        ),
      ),
    ).toBe('LIMIT_EXCEEDED');
    expect(
      (
        await send(
          'events',
          Array.from({ length: 50 }, () => produceRecord('v')),
        )
      ).records,
    ).toHaveLength(50);
  });

  it('refuses more headers than the limit (LIMIT_EXCEEDED)', async () => {
    await node.createTopic('events', 1);
    const headers = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `h${i}`, value: Buffer.from('x') }));
    expect(await codeOf(send('events', [{ ...produceRecord('v'), headers: headers(3) }]))).toBe('LIMIT_EXCEEDED');
    expect((await send('events', [{ ...produceRecord('v'), headers: headers(2) }])).records[0]!.offset).toBe(0);
  });
});
