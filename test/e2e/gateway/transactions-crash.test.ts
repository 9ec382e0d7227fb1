/**
 * A coordinator crash mid-commit is all-or-nothing (docs/RELIABILITY.md R26): a real node in a
 * child process SIGKILLs itself at each step of a commit (failpoints: after PREPARE_COMMIT, after
 * the first marker, before COMPLETE_COMMIT) and of an abort; after a restart the catalog says
 * COMPLETE_*, every touched partition holds the marker (read from the segment files, READ_UNCOMMITTED
 * bytes) and no marker of the other kind, and the group offsets are committed iff the transaction
 * committed. An ONGOING transaction killed from outside is aborted once its timeout passes.
 * Jepsen-style (R25, R26): many transactional producers at once, each a seeded random mix of
 * commits and aborts over 3 partitions, the node killed with SIGKILL mid-stream and restarted,
 * the producers re-initialised and going on; a READ_COMMITTED reader (record pages, then a
 * subscription from EARLIEST that must deliver the same) then sees every committed record exactly
 * once, no record of an aborted or never-ended transaction, all or nothing of a transaction whose
 * commit was cut off by the kill, offsets and each producer's order kept, and nothing left open.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { postGraphQL as gql, startNodeProcess, stopNodeProcess, type NodeProcess } from '../../support/node-process';
import { GraphQLTxnProducer } from '../../support/graphql-txn-producer';
import { prng, randomInt } from '../../support/prng';
import { collect } from '../../support/test-node';
import { batchesOnDisk } from '../../support/txn-log';

jest.setTimeout(240_000);

const TOPIC = 'crash';
const PARTITIONS = [0, 1, 2];

async function ok(node: NodeProcess, query: string, variables?: object): Promise<any> {
  const body = await gql(node.url, query, variables);
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

function exited(node: NodeProcess): Promise<string | null> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return Promise.resolve(node.child.signalCode);
  return new Promise((resolve) => node.child.once('exit', (_code, signal) => resolve(signal)));
}

/** Opens a transaction writing one record to each partition of TOPIC; answers the producer. */
async function openTransaction(node: NodeProcess, timeoutMs?: number): Promise<{ producerId: number; epoch: number }> {
  await ok(node, `mutation { createTopic(input: { name: "${TOPIC}", partitions: 3 }) { name } }`);
  const { producerId, epoch } = (
    await ok(node, `mutation($t: Int) { initProducer(transactionalId: "tx-crash", transactionTimeoutMs: $t) { producerId epoch } }`, {
      t: timeoutMs,
    })
  ).initProducer;
  const producer = { producerId, epoch };
  await ok(node, `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`, { p: producer });
  await ok(node, `mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
    input: { topic: TOPIC, producer, sequence: 0, records: PARTITIONS.map((partition) => ({ partition, value: `v${partition}` })) },
  });
  return producer;
}

async function transactionState(node: NodeProcess): Promise<{ state: string; partitions: unknown[] }> {
  return (await ok(node, `{ transactions { transactionalId state partitions { topic partition } } }`)).transactions.find(
    (x: any) => x.transactionalId === 'tx-crash',
  );
}

/** Every partition: its data batch, then only `type` markers (one or more: recovery writes them again). */
async function expectMarkers(dataDir: string, type: 'COMMIT' | 'ABORT'): Promise<void> {
  for (const partition of PARTITIONS) {
    const batches = await batchesOnDisk(dataDir, TOPIC, partition);
    expect(batches[0]).toMatchObject({ marker: null, isTransactional: true, values: [`v${partition}`] });
    const markers = batches.slice(1).map((b) => b.marker);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(new Set(markers)).toEqual(new Set([type]));
  }
}

describe('transactions survive kill -9 at every step of the end', () => {
  const dirs: string[] = [];
  const nodes: NodeProcess[] = [];
  afterAll(async () => {
    for (const node of nodes) await stopNodeProcess(node, 'SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const start = async (dataDir: string, env: Record<string, string> = {}) => {
    const node = await startNodeProcess(dataDir, [], 120_000, env);
    nodes.push(node);
    return node;
  };

  const cases: [string, 'COMMIT' | 'ABORT'][] = [
    ['txn.after-prepare', 'COMMIT'],
    ['txn.after-first-marker', 'COMMIT'],
    ['txn.before-complete', 'COMMIT'],
    ['txn.after-first-marker', 'ABORT'],
  ];
  it.each(cases)('killed at %s of a %s: finished on restart, all or nothing', async (failpoint, type) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-txn-crash-'));
    dirs.push(dataDir);
    const doomed = await start(dataDir, { LOGWAY_FAILPOINT: failpoint });
    const producer = await openTransaction(doomed);
    const end =
      type === 'COMMIT'
        ? gql(doomed.url, `mutation($p: ProducerIdentityInput!, $o: [TxnOffsetInput!]) { commitTransaction(producer: $p, offsets: $o) }`, {
            p: producer,
            o: [{ group: 'g', topic: TOPIC, partition: 0, offset: 1 }],
          })
        : gql(doomed.url, `mutation($p: ProducerIdentityInput!) { abortTransaction(producer: $p) }`, { p: producer });
    await expect(end).rejects.toThrow(); // the node died under the call
    expect(await exited(doomed)).toBe('SIGKILL');

    const node = await start(dataDir);
    expect(await transactionState(node)).toEqual({ transactionalId: 'tx-crash', state: `COMPLETE_${type}`, partitions: [] });
    const offsets =
      (await ok(node, `{ consumerGroup(id: "g") { offsets { topic partition committedOffset } } }`)).consumerGroup?.offsets ?? [];
    expect(offsets).toEqual(type === 'COMMIT' ? [{ topic: TOPIC, partition: 0, committedOffset: 1 }] : []);
    // The next transaction runs on the bumped epoch.
    await ok(node, `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`, {
      p: { ...producer, epoch: producer.epoch + 1 },
    });
    await stopNodeProcess(node, 'SIGTERM');
    await expectMarkers(dataDir, type);
  });

  it('an ONGOING transaction killed from outside is aborted after its timeout on restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-txn-crash-'));
    dirs.push(dataDir);
    const doomed = await start(dataDir);
    await openTransaction(doomed, 1_000);
    await stopNodeProcess(doomed, 'SIGKILL');
    const node = await start(dataDir);
    const deadline = Date.now() + 60_000;
    let state = (await transactionState(node)).state;
    while (state !== 'COMPLETE_ABORT' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await transactionState(node)).state;
    }
    expect(state).toBe('COMPLETE_ABORT');
    await stopNodeProcess(node, 'SIGTERM');
    await expectMarkers(dataDir, 'ABORT');
  });
});

/** One transaction of the workload: what it wrote, and how its end answered (`unknown`: cut off by the kill). */
interface TxnHistory {
  values: string[];
  outcome: 'COMMIT' | 'ABORT' | 'unknown-COMMIT' | 'unknown-ABORT' | 'never-ended';
}

const JEPSEN_TOPIC = 'jepsen';
const JEPSEN_PRODUCERS = 5;

/**
 * One producer's loop: transactions of 1–3 writes (1–2 records each, seeded partitions), each
 * committed or aborted at random, until `stop()` says so or a call fails (the node died).
 */
async function transactionLoop(
  producer: GraphQLTxnProducer,
  random: () => number,
  history: TxnHistory[],
  tag: string,
  stop: () => boolean,
  ended: () => void,
): Promise<void> {
  for (let n = 0; !stop(); n++) {
    const txn: TxnHistory = { values: [], outcome: 'never-ended' };
    history.push(txn);
    try {
      for (let w = 0, writes = 1 + randomInt(random, 3); w < writes; w++) {
        const values = Array.from({ length: 1 + randomInt(random, 2) }, (_, i) => `${tag}-${n}-${w}-${i}`);
        txn.values.push(...values); // before the call: a write cut off may or may not be in the log, but it is never committed
        await producer.write(JEPSEN_TOPIC, randomInt(random, 3), values);
      }
      const type = random() < 0.6 ? 'COMMIT' : 'ABORT';
      txn.outcome = `unknown-${type}`;
      await producer.end(type);
      txn.outcome = type;
      ended();
    } catch {
      return; // the node is gone; this transaction's outcome stays what it was when the call failed
    }
  }
}

async function readCommitted(node: NodeProcess, partition: number): Promise<{ offset: number; value: string }[]> {
  const read: { offset: number; value: string }[] = [];
  for (let offset = 0, round = 0; round < 1_000; round++) {
    const page = (
      await ok(
        node,
        `query($p: Int!, $o: SafeInt) { records(topic: "${JEPSEN_TOPIC}", partition: $p, offset: $o, limit: 500, isolation: READ_COMMITTED) { nextOffset records { offset value } } }`,
        { p: partition, o: offset },
      )
    ).records;
    read.push(...page.records);
    if (page.nextOffset === offset) return read;
    offset = page.nextOffset;
  }
  throw new Error('readCommitted did not finish in 1,000 pages');
}

describe('many transactional producers through a kill -9 (Jepsen-style)', () => {
  const dirs: string[] = [];
  const nodes: NodeProcess[] = [];
  afterAll(async () => {
    for (const node of nodes) await stopNodeProcess(node, 'SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('a READ_COMMITTED reader sees every committed record once, nothing aborted or torn, offsets in order', async () => {
    const seed = Number(process.env.TXN_SEED ?? 20261203);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-txn-jepsen-'));
    dirs.push(dataDir);
    let node = await startNodeProcess(dataDir, [], 120_000);
    nodes.push(node);
    await ok(node, `mutation { createTopic(input: { name: "${JEPSEN_TOPIC}", partitions: 3 }) { name } }`);
    const run = (query: string, variables?: Record<string, unknown>) => ok(node, query, variables);
    const randoms = Array.from({ length: JEPSEN_PRODUCERS }, (_, i) => prng(seed + i));
    const producers = randoms.map((_, i) => new GraphQLTxnProducer(run, `jepsen-${i}`));
    const history: TxnHistory[][] = producers.map(() => []);
    let ended = 0;

    // Phase 1: all producers at once; the node is killed once 12 transactions have ended, the others mid-flight.
    const phase1 = producers.map((p, i) =>
      transactionLoop(
        p,
        randoms[i]!,
        history[i]!,
        `a${i}`,
        () => false,
        () => (ended += 1),
      ),
    );
    for (const started = Date.now(); ended < 12;) {
      if (Date.now() - started > 120_000) throw new Error(`seed ${seed}: only ${ended} transactions ended before the kill`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stopNodeProcess(node, 'SIGKILL');
    await Promise.all(phase1);

    // Phase 2: restart, every producer re-initialised (which aborts what it left open), 15 more ends.
    node = await startNodeProcess(dataDir, [], 120_000);
    nodes.push(node);
    for (const p of producers) await p.init();
    const target = ended + 15;
    await Promise.all(
      producers.map((p, i) =>
        transactionLoop(
          p,
          randoms[i]!,
          history[i]!,
          `b${i}`,
          () => ended >= target,
          () => (ended += 1),
        ),
      ),
    );
    for (const p of producers) if (p.open) await p.end('ABORT');
    for (const txns of history) {
      const last = txns.at(-1);
      if (last && last.outcome === 'never-ended' && last.values.length === 0) txns.pop(); // a loop that stopped before writing
    }

    // Where each value stands in its producer's history: a producer's records must be read in the order it wrote them.
    const rank = new Map<string, [number, number]>();
    history.forEach((txns, i) => txns.flatMap((t) => t.values).forEach((v, n) => rank.set(v, [i, n])));
    const seen = new Map<string, number>();
    const pages = [0, 1, 2].map(() => [] as { offset: number; value: string }[]);
    for (let partition = 0; partition < 3; partition++) {
      const records = await readCommitted(node, partition);
      pages[partition] = records;
      for (let i = 1; i < records.length; i++)
        expect([seed, partition, records[i]!.offset > records[i - 1]!.offset]).toEqual([seed, partition, true]);
      const lastRank = new Map<number, number>();
      for (const r of records) {
        seen.set(r.value, (seen.get(r.value) ?? 0) + 1);
        const [producer, n] = rank.get(r.value) ?? [-1, -1];
        expect([seed, r.value, n > (lastRank.get(producer) ?? -1)]).toEqual([seed, r.value, true]);
        lastRank.set(producer, n);
      }
    }
    const all = history.flat();
    const outcomes = (name: TxnHistory['outcome']) => all.filter((t) => t.outcome === name);
    expect(outcomes('COMMIT').length).toBeGreaterThan(3);
    expect(outcomes('ABORT').length).toBeGreaterThan(3);
    expect(outcomes('never-ended').length + outcomes('unknown-COMMIT').length + outcomes('unknown-ABORT').length).toBeGreaterThan(0); // the kill cut something off
    for (const txn of all) {
      const counts = txn.values.map((v) => seen.get(v) ?? 0);
      if (txn.outcome === 'COMMIT') expect([seed, txn.values, counts]).toEqual([seed, txn.values, txn.values.map(() => 1)]);
      else if (txn.outcome === 'unknown-COMMIT')
        expect([seed, txn.values, new Set(counts).size]).toEqual([seed, txn.values, 1]); // all or nothing
      else expect([seed, txn.outcome, txn.values, counts]).toEqual([seed, txn.outcome, txn.values, txn.values.map(() => 0)]);
      if (txn.outcome === 'unknown-COMMIT') expect(counts.every((c) => c <= 1)).toBe(true);
    }
    // A READ_COMMITTED subscription from the start delivers exactly what the pages hold, in the same order.
    const client = createClient({ url: `ws://127.0.0.1:${node.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const total = pages.reduce((sum, p) => sum + p.length, 0);
      const count = (events: any[]) => events.reduce((sum, e) => sum + e.records.records.length, 0);
      const sub = collect<any>(
        client,
        `subscription { records(topic: "${JEPSEN_TOPIC}", from: EARLIEST, isolation: READ_COMMITTED) { partition records { offset value } } }`,
        {},
        (events) => count(events) >= total,
      );
      const delivered = [0, 1, 2].map(() => [] as { offset: number; value: string }[]);
      for (const e of await sub.done) delivered[e.records.partition]!.push(...e.records.records);
      expect([seed, delivered]).toEqual([seed, pages]);
    } finally {
      await client.dispose();
    }
    // Every record read belongs to a transaction that committed (or whose cut-off commit took effect).
    const written = new Set(all.flatMap((t) => t.values));
    expect([...seen.keys()].filter((v) => !written.has(v))).toEqual([]);
    // Nothing is left open: the last stable offset is the high watermark everywhere.
    const partitions = (await ok(node, `{ topic(name: "${JEPSEN_TOPIC}") { partitions { highWatermark lastStableOffset } } }`)).topic
      .partitions;
    for (const p of partitions) expect(p.lastStableOffset).toBe(p.highWatermark);
    expect((await ok(node, `{ transactions(state: ONGOING) { transactionalId } }`)).transactions).toEqual([]);
    await stopNodeProcess(node, 'SIGTERM');
  });
});
