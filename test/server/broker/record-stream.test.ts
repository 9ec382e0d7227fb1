/**
 * The live tail of a topic (`records` subscription without a group) against real logs and a real
 * catalog: where it starts (EARLIEST, LATEST, OFFSET, TIMESTAMP), that it waits for an append
 * instead of ending, takes the partitions in turn, follows partitions added later, ends on
 * return() and with TOPIC_DELETED when the topic goes, and refuses bad arguments.
 */
import { openRecordStream } from '../../../server/broker/record-stream';
import type { RecordBatchEvent, StreamRequest } from '../../../server/broker/types';
import { openBrokerFixture, type BrokerFixture } from '../../support/broker-fixture';

let node: BrokerFixture;

beforeEach(async () => {
  node = await openBrokerFixture({ limits: { fetchRecordsMax: 100 } });
  await node.createTopic('events', 2);
});
afterEach(async () => {
  await node.close();
});

const open = (request: Partial<StreamRequest> = {}) =>
  openRecordStream(node.deps, {
    topic: 'events',
    partitions: null,
    from: 'EARLIEST',
    offset: null,
    timestampMs: null,
    maxBatch: 100,
    isolation: 'READ_UNCOMMITTED',
    ...request,
  });
const values = (event: RecordBatchEvent) => event.records.map((r) => r.value?.toString());
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? String(error),
  );

/** True when the promise is still pending after the event loop has run the work already queued. */
async function pending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return !settled;
}

async function next(stream: AsyncIterableIterator<RecordBatchEvent>): Promise<RecordBatchEvent> {
  const result = await stream.next();
  if (result.done) throw new Error('the stream ended');
  return result.value;
}

describe('openRecordStream', () => {
  it('from EARLIEST delivers what is there in batches of at most maxBatch, with the high watermark and lag', async () => {
    await node.produceValues('events', ['a', 'b', 'c'], { partition: 0 });
    const stream = await open({ partitions: [0], maxBatch: 2 });
    const first = await next(stream);
    expect(values(first)).toEqual(['a', 'b']);
    expect(first).toMatchObject({ topic: 'events', partition: 0, highWatermark: 3, lag: 1 });
    const second = await next(stream);
    expect(values(second)).toEqual(['c']);
    expect(second.lag).toBe(0);
    await stream.return!();
  });

  it('waits for an append instead of ending, and delivers it', async () => {
    const stream = await open({ partitions: [0] });
    const waiting = stream.next();
    expect(await pending(waiting)).toBe(true);
    await node.produceValues('events', ['later'], { partition: 0 });
    const result = await waiting;
    expect(result.done).toBe(false);
    expect(values(result.value as RecordBatchEvent)).toEqual(['later']);
    await stream.return!();
  });

  it('from LATEST skips what was there before it opened', async () => {
    await node.produceValues('events', ['old'], { partition: 0 });
    const stream = await open({ partitions: [0], from: 'LATEST' });
    await node.produceValues('events', ['new'], { partition: 0 });
    expect(values(await next(stream))).toEqual(['new']);
    await stream.return!();
  });

  it('from OFFSET and TIMESTAMP start where asked', async () => {
    const t0 = node.clock.nowMs();
    await node.produceValues('events', ['a', 'b'], { partition: 0 });
    node.clock.advance(1_000);
    await node.produceValues('events', ['c'], { partition: 0 });
    const byOffset = await open({ partitions: [0], from: 'OFFSET', offset: 1 });
    expect(values(await next(byOffset))).toEqual(['b', 'c']); // mid-batch start, then on into the next batch
    const byTime = await open({ partitions: [0], from: 'TIMESTAMP', timestampMs: t0 + 500 });
    expect(values(await next(byTime))).toEqual(['c']);
    await byOffset.return!();
    await byTime.return!();
  });

  it('takes the partitions in turn, one batch each', async () => {
    await node.produceValues('events', ['p0-a'], { partition: 0 });
    await node.produceValues('events', ['p0-b'], { partition: 0 });
    await node.produceValues('events', ['p1-a'], { partition: 1 });
    const stream = await open({ maxBatch: 1 });
    const partitions = [(await next(stream)).partition, (await next(stream)).partition, (await next(stream)).partition];
    expect(partitions).toEqual([0, 1, 0]);
    await stream.return!();
  });

  it('follows partitions added later from offset 0, unless it named its partitions', async () => {
    const all = await open();
    const named = await open({ partitions: [0, 1] });
    await node.topics.addPartitions('events', 3);
    await node.produceValues('events', ['new-partition'], { partition: 2 });
    const event = await next(all);
    expect(event.partition).toBe(2);
    expect(values(event)).toEqual(['new-partition']);
    const waiting = named.next();
    expect(await pending(waiting)).toBe(true);
    await named.return!();
    expect((await waiting).done).toBe(true);
    await all.return!();
  });

  it('return() ends a pending next() at once', async () => {
    const stream = await open();
    const waiting = stream.next();
    expect(await pending(waiting)).toBe(true);
    expect(await stream.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('ends a pending next() with TOPIC_DELETED when the topic is deleted, and never reads a recreated one', async () => {
    const stream = await open();
    const waiting = stream.next();
    expect(await pending(waiting)).toBe(true);
    await node.topics.delete('events');
    expect(await codeOf(waiting)).toBe('TOPIC_DELETED');
    await node.createTopic('events', 2);
    await node.produceValues('events', ['new topic'], { partition: 0 });
    expect(await codeOf(stream.next())).toBe('TOPIC_DELETED');
  });

  it('refuses bad arguments with typed errors', async () => {
    expect(await codeOf(open({ maxBatch: 0 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(open({ maxBatch: 101 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(open({ partitions: [0, 0] }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(open({ from: 'OFFSET', offset: null }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(open({ from: 'TIMESTAMP', timestampMs: null }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(open({ from: 'OFFSET', offset: 5 }))).toBe('OFFSET_OUT_OF_RANGE');
    expect(await codeOf(open({ partitions: [2] }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await codeOf(open({ topic: 'nope' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});
