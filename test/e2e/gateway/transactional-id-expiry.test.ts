/**
 * `--transactional-id-expiration-ms` black-box through GraphQL (server/coordinators/transactions/
 * README.md "Expiry"), on a node with the shortest setting (1 s): a transactional id silent that
 * long with nothing open disappears from `transactions` (also after a restart), its old producer
 * is refused, `initProducer` starts it afresh with a new producer id, and what it committed stays
 * readable; an id whose transaction is open is never forgotten. No timing is asserted: the test
 * waits until the node has swept, bounded.
 */
import { startTestNode, type TestNode } from '../../support/test-node';
import { GraphQLTxnProducer, TXN_MUTATIONS } from '../../support/graphql-txn-producer';

const TXNS = `{ transactions { transactionalId producerId state } }`;

describe('transactional id expiry', () => {
  let t: TestNode;
  const run = (query: string, variables?: Record<string, unknown>) => t.ok(query, variables);
  const listed = async () => (await t.ok(TXNS)).transactions as { transactionalId: string; producerId: number; state: string }[];
  const waitUntilGone = async (id: string) => {
    for (const started = Date.now(); (await listed()).some((x) => x.transactionalId === id);) {
      if (Date.now() - started > 30_000) throw new Error(`${id} was never forgotten`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    t = await startTestNode(['--transactional-id-expiration-ms', '1000']);
    await t.ok(`mutation { createTopic(input: { name: "expiry", partitions: 1 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('forgets a silent id with nothing open, never an open one; its old producer is refused and a new init starts afresh', async () => {
    const open = new GraphQLTxnProducer(run, 'exp-open', 120_000);
    await open.write('expiry', 0, ['pending']);
    const quiet = new GraphQLTxnProducer(run, 'exp-quiet');
    await quiet.write('expiry', 0, ['kept']);
    await quiet.end('COMMIT');
    const old = quiet.producer!;

    await waitUntilGone('exp-quiet');
    // exp-open has been silent longer than exp-quiet, but its transaction is open.
    expect((await listed()).find((x) => x.transactionalId === 'exp-open')).toMatchObject({ state: 'ONGOING' });
    expect(await t.errorCode(TXN_MUTATIONS.begin, { p: old })).toBe('INVALID_TXN_STATE');
    expect(
      await t.errorCode(TXN_MUTATIONS.produce, { input: { topic: 'expiry', producer: old, sequence: 0, records: [{ value: 'late' }] } }),
    ).toBe('PRODUCER_FENCED');
    await quiet.init();
    expect(quiet.producer!.producerId).not.toBe(old.producerId);
    expect(quiet.producer!.epoch).toBe(0);

    await open.end('COMMIT');
    await waitUntilGone('exp-open');
    const page = await t.ok(`{ records(topic: "expiry", partition: 0, isolation: READ_COMMITTED) { records { value } } }`);
    expect(page.records.records.map((r: { value: string }) => r.value)).toEqual(['pending', 'kept']);
  });

  it('an id forgotten stays forgotten across a restart', async () => {
    const once = new GraphQLTxnProducer(run, 'exp-restart');
    await once.write('expiry', 0, ['x']);
    await once.end('ABORT');
    await waitUntilGone('exp-restart');
    await t.restart();
    expect((await listed()).map((x) => x.transactionalId)).not.toContain('exp-restart');
  });
});
