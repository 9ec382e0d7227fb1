/**
 * The `records` page query (fetchRecordPage) against real logs and a real catalog: where a page
 * starts (offset, timestamp, log start), how far it goes (limit, the read's byte budget), where the
 * next one starts, and the typed errors for offsets outside the log and limits above the maximum.
 * That no read goes past the high watermark is read-limit.test.ts (it needs a lagging follower).
 */
import { fetchRecordPage } from '../../../server/broker/fetch';
import type { FetchRequest } from '../../../server/broker/types';
import { openBrokerFixture, type BrokerFixture } from '../../support/broker-fixture';

let node: BrokerFixture;

beforeEach(async () => {
  node = await openBrokerFixture({ limits: { fetchRecordsMax: 100 } });
  await node.createTopic('events', 2);
});
afterEach(async () => {
  await node.close();
});

const page = (request: Partial<FetchRequest>) =>
  fetchRecordPage(node.deps, {
    topic: 'events',
    partition: 0,
    offset: null,
    timestampMs: null,
    limit: 100,
    isolation: 'READ_UNCOMMITTED',
    ...request,
  });
const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value?.toString());
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'resolved' }),
    (error: { code?: string; extensions?: unknown }) => error,
  );

describe('fetchRecordPage', () => {
  it('reads from the log start when no offset or timestamp is given, and says where to go on', async () => {
    await node.produceValues('events', ['a', 'b', 'c'], { partition: 0 });
    await node.produceValues('events', ['d'], { partition: 0 });
    const first = await page({});
    expect(first.records.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    expect(values(first.records)).toEqual(['a', 'b', 'c', 'd']);
    expect(first).toMatchObject({ topic: 'events', partition: 0, nextOffset: 4, highWatermark: 4 });
    expect((await page({ offset: first.nextOffset })).records).toEqual([]);
  });

  it('starts mid-batch at an explicit offset and stops at the limit, with nextOffset after the last record', async () => {
    await node.produceValues('events', ['a', 'b', 'c', 'd', 'e'], { partition: 0 });
    const middle = await page({ offset: 1, limit: 2 });
    expect(values(middle.records)).toEqual(['b', 'c']);
    expect(middle.nextOffset).toBe(3);
    const rest = await page({ offset: middle.nextOffset });
    expect(values(rest.records)).toEqual(['d', 'e']);
  });

  it('reads one partition only', async () => {
    await node.produceValues('events', ['p0'], { partition: 0 });
    await node.produceValues('events', ['p1-a', 'p1-b'], { partition: 1 });
    expect(values((await page({ partition: 1 })).records)).toEqual(['p1-a', 'p1-b']);
    expect(values((await page({ partition: 0 })).records)).toEqual(['p0']);
  });

  it('starts at the first record at or after a timestamp, and at the high watermark past the last one', async () => {
    const t0 = node.clock.nowMs();
    await node.produceValues('events', ['early'], { partition: 0 });
    node.clock.advance(10_000);
    await node.produceValues('events', ['late'], { partition: 0 });
    expect(values((await page({ timestampMs: t0 + 5_000 })).records)).toEqual(['late']);
    expect(values((await page({ timestampMs: t0 })).records)).toEqual(['early', 'late']);
    const after = await page({ timestampMs: t0 + 60_000 });
    expect(after.records).toEqual([]);
    expect(after.nextOffset).toBe(2);
  });

  it('stops a page at the read byte budget, but always returns at least the first batch', async () => {
    await node.close(); // the budget is a node limit: a node with a small one
    node = await openBrokerFixture({ limits: { fetchBytesMax: 200 } });
    await node.createTopic('events', 1);
    for (const value of ['one'.padEnd(150, '.'), 'two'.padEnd(150, '.'), 'three'.padEnd(150, '.')]) {
      await node.produceValues('events', [value], { partition: 0 });
    }
    const first = await page({});
    expect(first.records).toHaveLength(1);
    expect(first.nextOffset).toBe(1);
    expect((await page({ offset: 2 })).records.map((r) => r.offset)).toEqual([2]);
  });

  it('answers OFFSET_OUT_OF_RANGE with the log bounds for an offset past the log end', async () => {
    await node.produceValues('events', ['a', 'b'], { partition: 0 });
    const error = await errorOf(page({ offset: 3 }));
    expect(error).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect(JSON.stringify(error)).toMatch(/"logStartOffset":0.*"logEndOffset":2|"logEndOffset":2.*"logStartOffset":0/);
    expect((await page({ offset: 2 })).records).toEqual([]); // the log end itself is a valid place to wait
  });

  it('refuses a negative offset, a limit below 1 or above the maximum (BAD_USER_INPUT), and unknown partitions', async () => {
    expect(await errorOf(page({ offset: -1 }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await errorOf(page({ limit: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await errorOf(page({ limit: 101 }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await errorOf(page({ partition: 2 }))).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(await errorOf(page({ topic: 'nope' }))).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('serves what survives a restart, unchanged', async () => {
    await node.produceValues('events', ['a', 'b'], { partition: 0, key: 'k' });
    await node.reopen();
    const after = await page({});
    expect(values(after.records)).toEqual(['a', 'b']);
    expect(after.records.map((r) => r.key?.toString())).toEqual(['k', 'k']);
    expect(after.highWatermark).toBe(2);
  });
});
