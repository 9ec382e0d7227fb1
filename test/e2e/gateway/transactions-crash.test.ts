/**
 * A coordinator crash mid-commit is all-or-nothing (docs/RELIABILITY.md R26): a real node in a
 * child process SIGKILLs itself at each step of a commit (failpoints: after PREPARE_COMMIT, after
 * the first marker, before COMPLETE_COMMIT) and of an abort; after a restart the catalog says
 * COMPLETE_*, every touched partition holds the marker (read from the segment files, READ_UNCOMMITTED
 * bytes) and no marker of the other kind, and the group offsets are committed iff the transaction
 * committed. An ONGOING transaction killed from outside is aborted once its timeout passes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL as gql, startNodeProcess, stopNodeProcess, type NodeProcess } from '../../support/node-process';
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
  const { producerId, epoch } = (await ok(node, `mutation($t: Int) { initProducer(transactionalId: "tx-crash", transactionTimeoutMs: $t) { producerId epoch } }`, { t: timeoutMs })).initProducer;
  const producer = { producerId, epoch };
  await ok(node, `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`, { p: producer });
  await ok(node, `mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
    input: { topic: TOPIC, producer, sequence: 0, records: PARTITIONS.map((partition) => ({ partition, value: `v${partition}` })) },
  });
  return producer;
}

async function transactionState(node: NodeProcess): Promise<{ state: string; partitions: unknown[] }> {
  return (await ok(node, `{ transactions { transactionalId state partitions { topic partition } } }`)).transactions.find((x: any) => x.transactionalId === 'tx-crash');
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
    const end = type === 'COMMIT'
      ? gql(doomed.url, `mutation($p: ProducerIdentityInput!, $o: [TxnOffsetInput!]) { commitTransaction(producer: $p, offsets: $o) }`, { p: producer, o: [{ group: 'g', topic: TOPIC, partition: 0, offset: 1 }] })
      : gql(doomed.url, `mutation($p: ProducerIdentityInput!) { abortTransaction(producer: $p) }`, { p: producer });
    await expect(end).rejects.toThrow(); // the node died under the call
    expect(await exited(doomed)).toBe('SIGKILL');

    const node = await start(dataDir);
    expect(await transactionState(node)).toEqual({ transactionalId: 'tx-crash', state: `COMPLETE_${type}`, partitions: [] });
    const offsets = (await ok(node, `{ consumerGroup(id: "g") { offsets { topic partition committedOffset } } }`)).consumerGroup?.offsets ?? [];
    expect(offsets).toEqual(type === 'COMMIT' ? [{ topic: TOPIC, partition: 0, committedOffset: 1 }] : []);
    // The next transaction runs on the bumped epoch.
    await ok(node, `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`, { p: { ...producer, epoch: producer.epoch + 1 } });
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
