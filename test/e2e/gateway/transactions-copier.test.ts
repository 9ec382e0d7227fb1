/**
 * An exactly-once copier (docs/RELIABILITY.md R28, ducktape's transactions_test): topic A → topic
 * B, each step one transaction that produces a page of A into B and commits the group offset of
 * A with it, while the node (a real child process) is killed with SIGKILL at seeded moments —
 * after begin, after the produce, with the commit in flight — and restarted. The copier re-inits
 * its transactional id after every failure (aborting what was open). At the end, B's committed
 * data (read from its segment files: data batches closed by a COMMIT marker) equals A: every
 * record once, in order; aborted attempts are closed by ABORT markers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { postGraphQL as gql, startNodeProcess, stopNodeProcess, type NodeProcess } from '../../support/node-process';
import { prng, randomInt } from '../../support/prng';
import { batchesOnDisk, type BatchOnDisk } from '../../support/txn-log';

jest.setTimeout(300_000);

const SOURCE_RECORDS = 60;
const PAGE = 7;
const KILLS = 4;

async function ok(node: NodeProcess, query: string, variables?: object): Promise<any> {
  const body = await gql(node.url, query, variables);
  if (body.errors?.length)
    throw Object.assign(new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`), { code: body.errors[0].extensions?.code });
  return body.data;
}

/** The data B committed: each producer's data batches count once the next marker after them is a COMMIT. */
function committedValues(batches: BatchOnDisk[]): string[] {
  const committed: string[] = [];
  let pending: string[] = [];
  for (const batch of batches) {
    if (batch.marker === null) pending.push(...batch.values);
    else {
      if (batch.marker === 'COMMIT') committed.push(...pending);
      pending = [];
    }
  }
  return committed;
}

describe('exactly-once copier under kill -9', () => {
  let dataDir: string;
  let node: NodeProcess | null = null;
  afterAll(async () => {
    if (node) await stopNodeProcess(node, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('ends with B equal to A: no duplicates, no gaps, in order', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-txn-copier-'));
    node = await startNodeProcess(dataDir, [], 120_000);
    await ok(node, `mutation { createTopic(input: { name: "A", partitions: 1 }) { name } }`);
    await ok(node, `mutation { createTopic(input: { name: "B", partitions: 1 }) { name } }`);
    const source = Array.from({ length: SOURCE_RECORDS }, (_, i) => `r${i}`);
    await ok(node, `mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
      input: { topic: 'A', records: source.map((value) => ({ value })) },
    });

    const random = prng(12);
    let kills = 0;
    let killAt = 1 + randomInt(random, 4); // the step (of any phase) at which the next kill comes
    let steps = 0;
    const restart = async () => {
      await stopNodeProcess(node!, 'SIGKILL');
      node = await startNodeProcess(dataDir, [], 120_000);
    };
    /** Advances the step counter; true when the node is to be killed now. */
    const killNow = () => {
      steps += 1;
      if (kills >= KILLS || steps < killAt) return false;
      kills += 1;
      killAt = steps + 1 + randomInt(random, 6);
      return true;
    };

    let producer: { producerId: number; epoch: number } | null = null;
    for (let iteration = 0; iteration < 200; iteration++) {
      try {
        const current: { producerId: number; epoch: number } =
          producer ?? (await ok(node, `mutation { initProducer(transactionalId: "copier") { producerId epoch } }`)).initProducer;
        producer = current;
        const group = (await ok(node, `{ consumerGroup(id: "copy") { offsets { committedOffset } } }`)).consumerGroup;
        const offset: number = group?.offsets[0]?.committedOffset ?? 0;
        if (offset >= SOURCE_RECORDS) break;
        const page = (
          await ok(
            node,
            `query($o: SafeInt) { records(topic: "A", partition: 0, offset: $o, limit: ${PAGE}) { nextOffset records { value } } }`,
            { o: offset },
          )
        ).records;
        await ok(node, `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`, { p: producer });
        if (killNow()) throw new Error('kill after begin');
        await ok(node, `mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
          input: { topic: 'B', producer, sequence: 0, records: page.records.map((r: { value: string }) => ({ value: r.value })) },
        });
        if (killNow()) throw new Error('kill after produce');
        const commit = ok(
          node,
          `mutation($p: ProducerIdentityInput!, $o: [TxnOffsetInput!]) { commitTransaction(producer: $p, offsets: $o) }`,
          {
            p: producer,
            o: [{ group: 'copy', topic: 'A', partition: 0, offset: page.nextOffset }],
          },
        );
        if (killNow()) {
          commit.catch(() => undefined);
          throw new Error('kill with the commit in flight');
        }
        await commit;
        producer = { ...current, epoch: current.epoch + 1 };
      } catch (error) {
        if (!/^kill /.test((error as Error).message)) throw error;
        await restart();
        producer = null; // re-init: fences the old epoch and aborts what it left open
      }
    }
    expect(kills).toBe(KILLS);
    await stopNodeProcess(node, 'SIGTERM');
    node = null;
    const batches = await batchesOnDisk(dataDir, 'B', 0);
    expect(committedValues(batches)).toEqual(source);
    expect(batches.filter((b) => b.marker === null).every((b) => b.isTransactional)).toBe(true);
  });
});
