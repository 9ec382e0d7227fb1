/**
 * Idempotent producers, black-box through GraphQL against a real node (docs/GRAPHQL-API.md
 * "Exactly-once", docs/RELIABILITY.md R23 and bad inputs 40–44): retries after a lost answer, a
 * restart and a kill -9 append nothing twice and answer the original offsets; five calls sent out
 * of order end in sequence order; gaps, unknown ids and stale epochs get their code and change nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestNode, type TestNode } from '../../support/test-node';
import { startNodeProcess as startChild, postGraphQL as gql } from '../../support/node-process';

const INIT = `mutation { initProducer { producerId epoch transactionalId } }`;
const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { partitions { partition baseOffset lastOffset count } records { partition offset timestampMs } } }`;
const TOTAL = `query($t: String!) { topic(name: $t) { partitions { partition highWatermark } } }`;

function input(topic: string, producer: { producerId: number; epoch: number }, sequence: number, values: string[], extra: object = {}) {
  return { input: { topic, producer, sequence, records: values.map((value) => ({ value, ...extra })) } };
}

async function totalRecords(t: Pick<TestNode, 'ok'>, topic: string): Promise<number> {
  const data = await t.ok(TOTAL, { t: topic });
  return data.topic.partitions.reduce((sum: number, p: { highWatermark: number }) => sum + p.highWatermark, 0);
}

async function values(t: Pick<TestNode, 'ok'>, topic: string, partition: number): Promise<string[]> {
  const data = await t.ok(`query($t: String!, $p: Int!) { records(topic: $t, partition: $p, limit: 1000) { records { value } } }`, {
    t: topic,
    p: partition,
  });
  return data.records.records.map((r: { value: string }) => r.value);
}

describe('idempotent producers through GraphQL', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--producer-sequence-wait-ms', '1500']);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('hands out distinct producer ids with epoch 0, also after a restart', async () => {
    const a = (await t.ok(INIT)).initProducer;
    const b = (await t.ok(INIT)).initProducer;
    expect(a).toMatchObject({ epoch: 0, transactionalId: null });
    expect(b.producerId).not.toBe(a.producerId);
    await t.restart();
    const c = (await t.ok(INIT)).initProducer;
    expect([a.producerId, b.producerId]).not.toContain(c.producerId);
    expect((await t.ok(`mutation { initProducer(transactionalId: "tx-1") { epoch transactionalId } }`)).initProducer).toEqual({
      epoch: 0,
      transactionalId: 'tx-1',
    });
  });

  it('answers a retried call with the original result and appends nothing (keyed and keyless records over 3 partitions)', async () => {
    await t.ok(`mutation { createTopic(input: { name: "idem-retry", partitions: 3 }) { name } }`);
    const producer = (await t.ok(INIT)).initProducer;
    const call = {
      input: {
        topic: 'idem-retry',
        producer,
        sequence: 0,
        records: [{ key: 'a', value: '1' }, { value: '2' }, { key: 'b', value: '3' }, { value: '4' }],
      },
    };
    const first = await t.ok(PRODUCE, call);
    await t.ok(PRODUCE, input('idem-retry', producer, 1, ['5']));
    const before = await totalRecords(t, 'idem-retry');
    // The client lost the answer of call 0 (a timeout) and retries it, twice.
    expect(await t.ok(PRODUCE, call)).toEqual(first);
    expect(await t.ok(PRODUCE, call)).toEqual(first);
    expect(await totalRecords(t, 'idem-retry')).toBe(before);
    const states = (
      await t.ok(
        `{ producers(topic: "idem-retry", partition: ${first.produce.records[1].partition}) { producerId epoch lastSequence lastTimestamp } }`,
      )
    ).producers;
    expect(states).toContainEqual(expect.objectContaining({ producerId: producer.producerId, epoch: 0 }));
    // After a clean restart the retry is still recognised, from the log.
    await t.restart();
    expect(await t.ok(PRODUCE, call)).toEqual(first);
    expect(await totalRecords(t, 'idem-retry')).toBe(before);
    expect((await t.ok(PRODUCE, input('idem-retry', producer, 2, ['6']))).produce.partitions[0].count).toBe(1);
  });

  it('sends a retry to the original partitions after createPartitions grew the topic', async () => {
    await t.ok(`mutation { createTopic(input: { name: "idem-grow", partitions: 2 }) { name } }`);
    const producer = (await t.ok(INIT)).initProducer;
    const call = {
      input: {
        topic: 'idem-grow',
        producer,
        sequence: 0,
        records: [{ key: 'k1', value: '1' }, { key: 'k2', value: '2' }, { key: 'k3', value: '3' }, { value: '4' }],
      },
    };
    const first = await t.ok(PRODUCE, call);
    await t.ok(`mutation { createPartitions(name: "idem-grow", count: 7) { name } }`);
    const before = await totalRecords(t, 'idem-grow');
    expect(await t.ok(PRODUCE, call)).toEqual(first);
    expect(await totalRecords(t, 'idem-grow')).toBe(before);
  });

  it('orders five in-flight calls by sequence whatever order they arrive in, with no duplicate', async () => {
    await t.ok(`mutation { createTopic(input: { name: "idem-order", partitions: 1 }) { name } }`);
    const producer = (await t.ok(INIT)).initProducer;
    const sends = [4, 2, 0, 3, 1].map((s) => t.ok(PRODUCE, input('idem-order', producer, s, [`v${s}`], { partition: 0 })));
    const results = await Promise.all(sends);
    expect(await values(t, 'idem-order', 0)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    // Each answer is its own call's offset, and retrying them all (out of order again) changes nothing.
    const offsets = results.map((r) => r.produce.records[0].offset);
    expect(offsets).toEqual([4, 2, 0, 3, 1]);
    const retried = await Promise.all(
      [1, 3, 0, 4, 2].map((s) => t.ok(PRODUCE, input('idem-order', producer, s, [`v${s}`], { partition: 0 }))),
    );
    expect(retried.map((r) => r.produce.records[0].offset)).toEqual([1, 3, 0, 4, 2]);
    expect(await values(t, 'idem-order', 0)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
  });

  it('refuses bad inputs 40–44 with their code and changes nothing', async () => {
    await t.ok(`mutation { createTopic(input: { name: "idem-bad", partitions: 2 }) { name } }`);
    const producer = (await t.ok(INIT)).initProducer;
    for (let s = 0; s <= 4; s++) await t.ok(PRODUCE, input('idem-bad', producer, s, [`v${s}`]));
    const before = await totalRecords(t, 'idem-bad');
    // 40: a producer id never handed out.
    expect(await t.errorCode(PRODUCE, input('idem-bad', { producerId: 999_999, epoch: 0 }, 0, ['x']))).toBe('UNKNOWN_PRODUCER_ID');
    // 41: an epoch that is not the producer's.
    expect(await t.errorCode(PRODUCE, input('idem-bad', { ...producer, epoch: 1 }, 5, ['x']))).toBe('PRODUCER_FENCED');
    // 42: seq 7 after 4 (waits for 5 and 6, which never come), and one far ahead (refused at once).
    expect(await t.errorCode(PRODUCE, input('idem-bad', producer, 7, ['x']))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(await t.errorCode(PRODUCE, input('idem-bad', producer, 100, ['x']))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    // a retry older than the last 5 cannot be answered.
    for (let s = 5; s <= 10; s++) await t.ok(PRODUCE, input('idem-bad', producer, s, [`v${s}`]));
    expect(await t.errorCode(PRODUCE, input('idem-bad', producer, 1, ['v1']))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    // malformed: sequence out of range, sequence without producer, acks NONE.
    expect(await t.errorCode(PRODUCE, input('idem-bad', producer, 2 ** 31, ['x']))).toBe('BAD_USER_INPUT');
    expect(await t.errorCode(PRODUCE, { input: { topic: 'idem-bad', sequence: 11, records: [{ value: 'x' }] } })).toBe('BAD_USER_INPUT');
    expect(await t.errorCode(PRODUCE, { input: { ...input('idem-bad', producer, 11, ['x']).input, acks: 'NONE' } })).toBe('BAD_USER_INPUT');
    expect(await totalRecords(t, 'idem-bad')).toBe(before + 6);
    // 43: a duplicate within the last 5 is a success with the original offsets (above); the producer goes on.
    expect((await t.ok(PRODUCE, input('idem-bad', producer, 11, ['v11']))).produce.partitions[0].count).toBe(1);
  });

  it('never takes a sequence the producer did not reach for a retry', async () => {
    await t.ok(`mutation { createTopic(input: { name: "idem-wrap", partitions: 1 }) { name } }`);
    const producer = (await t.ok(INIT)).initProducer;
    // 2^31-1 is "one behind" 0 mod 2^31, but this producer never sent it: refused, not appended.
    expect(await t.errorCode(PRODUCE, input('idem-wrap', producer, 2 ** 31 - 1, ['top']))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    for (let s = 0; s < 3; s++) await t.ok(PRODUCE, input('idem-wrap', producer, s, [`v${s}`]));
    expect(await values(t, 'idem-wrap', 0)).toEqual(['v0', 'v1', 'v2']);
  });
});

describe('idempotent producer across kill -9', () => {
  it('answers retries after a SIGKILL with the original offsets and appends no duplicate', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-idem-kill-'));
    let { child, url } = await startChild(dataDir);
    const ok = async (query: string, variables?: object) => {
      const body = await gql(url, query, variables);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    try {
      await ok(`mutation { createTopic(input: { name: "idem-kill", partitions: 3 }) { name } }`);
      const producer = (await ok(INIT)).initProducer;
      const answers: any[] = [];
      for (let s = 0; s < 20; s++) answers.push(await ok(PRODUCE, input('idem-kill', producer, s, [`a${s}`, `b${s}`], {})));
      // The last calls are in flight when the node dies: their answers may be lost.
      const inFlight = [20, 21, 22].map((s) => gql(url, PRODUCE, input('idem-kill', producer, s, [`a${s}`, `b${s}`])));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      await Promise.allSettled(inFlight);
      ({ child, url } = await startChild(dataDir));
      // The client retries everything it may not have seen (the last 5), and then goes on.
      for (let s = 18; s <= 22; s++) {
        const answer = await ok(PRODUCE, input('idem-kill', producer, s, [`a${s}`, `b${s}`]));
        if (s < 20) expect(answer).toEqual(answers[s]);
      }
      await ok(PRODUCE, input('idem-kill', producer, 23, ['a23', 'b23']));
      const all: string[] = [];
      for (let p = 0; p < 3; p++) all.push(...(await values({ ok }, 'idem-kill', p)));
      const expected = Array.from({ length: 24 }, (_, s) => [`a${s}`, `b${s}`]).flat();
      expect(all.sort()).toEqual(expected.sort()); // every call once: no duplicate, no loss
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
