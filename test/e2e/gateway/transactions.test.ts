/**
 * Transactions, the write side, black-box through GraphQL against a real node
 * (server/coordinators/transactions/README.md; docs/RELIABILITY.md R24, R27 and bad inputs 41,
 * 46–49): commit and abort write one marker per touched partition, stamped with the bumped
 * epoch; offsets commit with the records; a fenced zombie writes nothing; a delayed end never
 * lands on the next transaction; bad calls get their code and change nothing.
 */
import { startTestNode, type TestNode } from '../../support/test-node';
import { batchesOnDisk } from '../../support/txn-log';

const INIT = `mutation($id: String!, $t: Int) { initProducer(transactionalId: $id, transactionTimeoutMs: $t) { producerId epoch transactionalId } }`;
const BEGIN = `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`;
const COMMIT = `mutation($p: ProducerIdentityInput!, $o: [TxnOffsetInput!]) { commitTransaction(producer: $p, offsets: $o) }`;
const ABORT = `mutation($p: ProducerIdentityInput!) { abortTransaction(producer: $p) }`;
const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { partitions { partition baseOffset count } } }`;
const TXNS = `query($s: TransactionState) { transactions(state: $s) { transactionalId producerId epoch state partitions { topic partition } timeoutMs startedAt } }`;

type Producer = { producerId: number; epoch: number };

function records(topic: string, producer: Producer, sequence: number, values: [number, string][]) {
  return { input: { topic, producer, sequence, records: values.map(([partition, value]) => ({ partition, value })) } };
}

describe('transactions through GraphQL', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "tx-a", partitions: 3 }) { name } }`);
    await t.ok(`mutation { createTopic(input: { name: "tx-b", partitions: 1 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  const init = async (id: string, timeoutMs?: number): Promise<Producer> => {
    const { producerId, epoch } = (await t.ok(INIT, { id, t: timeoutMs })).initProducer;
    return { producerId, epoch };
  };

  it('commits: one COMMIT marker per touched partition with the bumped epoch, offsets committed, the next transaction on epoch + 1', async () => {
    const p = await init('tx-commit');
    expect(p.epoch).toBe(0);
    expect((await t.ok(BEGIN, { p })).beginTransaction).toBe(true);
    await t.ok(
      PRODUCE,
      records('tx-a', p, 0, [
        [0, 'a0'],
        [2, 'a2'],
      ]),
    );
    await t.ok(PRODUCE, records('tx-b', p, 1, [[0, 'b0']]));
    const open = (await t.ok(TXNS, { s: 'ONGOING' })).transactions.find((x: any) => x.transactionalId === 'tx-commit');
    expect(open.partitions).toEqual([
      { topic: 'tx-a', partition: 0 },
      { topic: 'tx-a', partition: 2 },
      { topic: 'tx-b', partition: 0 },
    ]);
    const offsets = [{ group: 'copier', topic: 'tx-b', partition: 0, offset: 1 }];
    expect((await t.ok(COMMIT, { p, o: offsets })).commitTransaction).toBe(true);

    for (const [topic, partition] of [
      ['tx-a', 0],
      ['tx-a', 2],
      ['tx-b', 0],
    ] as const) {
      const batches = await batchesOnDisk(t.dataDir, topic, partition);
      expect(batches.map((b) => [b.isTransactional, b.marker, b.producerEpoch])).toEqual([
        [true, null, 0],
        [true, 'COMMIT', 1],
      ]);
    }
    expect(await batchesOnDisk(t.dataDir, 'tx-a', 1)).toEqual([]);
    const group = await t.ok(`{ consumerGroup(id: "copier") { offsets { topic partition committedOffset } } }`);
    expect(group.consumerGroup.offsets).toEqual([{ topic: 'tx-b', partition: 0, committedOffset: 1 }]);
    const done = (await t.ok(TXNS, {})).transactions.find((x: any) => x.transactionalId === 'tx-commit');
    expect(done).toMatchObject({ state: 'COMPLETE_COMMIT', epoch: 0, partitions: [], timeoutMs: 60000 });

    // The exact retry answers true again; the next transaction runs on epoch 1 from sequence 0.
    expect((await t.ok(COMMIT, { p, o: offsets })).commitTransaction).toBe(true);
    const next = { ...p, epoch: 1 };
    expect(await t.errorCode(BEGIN, { p })).toBe('PRODUCER_FENCED');
    expect((await t.ok(BEGIN, { p: next })).beginTransaction).toBe(true);
    await t.ok(PRODUCE, records('tx-a', next, 0, [[1, 'second']]));
    expect((await t.ok(ABORT, { p: next })).abortTransaction).toBe(true);
    const p1 = await batchesOnDisk(t.dataDir, 'tx-a', 1);
    expect(p1.map((b) => [b.marker, b.producerEpoch, b.values])).toEqual([
      [null, 1, ['second']],
      ['ABORT', 2, []],
    ]);
  });

  it('a delayed commit of an ended transaction never ends the next one (KIP-890)', async () => {
    const p = await init('tx-delayed');
    await t.ok(BEGIN, { p });
    await t.ok(PRODUCE, records('tx-a', p, 0, [[0, 'first']]));
    await t.ok(ABORT, { p });
    const next = { ...p, epoch: p.epoch + 1 };
    await t.ok(BEGIN, { p: next });
    await t.ok(PRODUCE, records('tx-a', next, 0, [[0, 'second']]));
    // The old epoch's late commit: the outcome of its own transaction never flips, and the open one stays open.
    expect(await t.errorCode(COMMIT, { p })).toBe('PRODUCER_FENCED');
    const open = (await t.ok(TXNS, { s: 'ONGOING' })).transactions.map((x: any) => x.transactionalId);
    expect(open).toContain('tx-delayed');
    expect((await t.ok(COMMIT, { p: next })).commitTransaction).toBe(true);
  });

  it('fences a zombie: after a new initProducer its produce and commit are PRODUCER_FENCED and write nothing; its open transaction is aborted', async () => {
    await t.ok(`mutation { createTopic(input: { name: "tx-zombie", partitions: 1 }) { name } }`);
    const zombie = await init('tx-z');
    await t.ok(BEGIN, { p: zombie });
    await t.ok(PRODUCE, records('tx-zombie', zombie, 0, [[0, 'before-fence']]));
    const fresh = await init('tx-z');
    expect(fresh).toEqual({ producerId: zombie.producerId, epoch: zombie.epoch + 1 });
    const before = await batchesOnDisk(t.dataDir, 'tx-zombie', 0);
    expect(before.map((b) => b.marker)).toEqual([null, 'ABORT']);
    expect(await t.errorCode(PRODUCE, records('tx-zombie', zombie, 1, [[0, 'after-fence']]))).toBe('PRODUCER_FENCED');
    expect(await t.errorCode(COMMIT, { p: zombie })).toBe('PRODUCER_FENCED');
    expect(await t.errorCode(ABORT, { p: zombie })).toBe('PRODUCER_FENCED');
    expect(await t.errorCode(BEGIN, { p: zombie })).toBe('PRODUCER_FENCED');
    expect(await batchesOnDisk(t.dataDir, 'tx-zombie', 0)).toEqual(before);
    // The new holder works.
    await t.ok(BEGIN, { p: fresh });
    await t.ok(PRODUCE, records('tx-zombie', fresh, 0, [[0, 'new-holder']]));
    await t.ok(COMMIT, { p: fresh });
  });

  it('bad calls get their code and change nothing (RELIABILITY 46–48)', async () => {
    const p = await init('tx-bad');
    const state = async () => (await t.ok(TXNS, {})).transactions.find((x: any) => x.transactionalId === 'tx-bad');
    const start = await state();
    expect(start.state).toBe('EMPTY');
    expect(await t.errorCode(COMMIT, { p })).toBe('INVALID_TXN_STATE');
    expect(await t.errorCode(ABORT, { p })).toBe('INVALID_TXN_STATE');
    expect(await t.errorCode(PRODUCE, records('tx-a', p, 0, [[0, 'outside']]))).toBe('INVALID_TXN_STATE');
    expect(await t.errorCode(BEGIN, { p: { ...p, epoch: p.epoch + 5 } })).toBe('INVALID_PRODUCER_EPOCH');
    expect(await state()).toEqual(start);
    await t.ok(BEGIN, { p });
    expect(await t.errorCode(BEGIN, { p })).toBe('INVALID_TXN_STATE');
    await t.ok(ABORT, { p });
    // Commit after abort (same epoch): the outcome never flips; the exact retry of the abort answers true.
    expect(await t.errorCode(COMMIT, { p })).toBe('INVALID_TXN_STATE');
    expect((await t.ok(ABORT, { p })).abortTransaction).toBe(true);
    expect((await state()).state).toBe('COMPLETE_ABORT');
    for (const timeout of [0, -1, 900_001])
      expect(await t.errorCode(INIT, { id: 'tx-bad-timeout', t: timeout })).toBe('INVALID_TRANSACTION_TIMEOUT');
    expect((await t.ok(TXNS, {})).transactions.map((x: any) => x.transactionalId)).not.toContain('tx-bad-timeout');
    expect(await t.errorCode(INIT, { id: '' })).toBe('BAD_USER_INPUT');
  });

  it('the node aborts a transaction open past its timeout; the producer is then fenced', async () => {
    const p = await init('tx-timeout', 300);
    await t.ok(BEGIN, { p });
    await t.ok(PRODUCE, records('tx-b', p, 0, [[0, 'will-time-out']]));
    const deadline = Date.now() + 20_000;
    let state = 'ONGOING';
    while (state !== 'COMPLETE_ABORT' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = (await t.ok(TXNS, {})).transactions.find((x: any) => x.transactionalId === 'tx-timeout').state;
    }
    expect(state).toBe('COMPLETE_ABORT');
    expect(await t.errorCode(COMMIT, { p })).toBe('PRODUCER_FENCED');
    const batches = await batchesOnDisk(t.dataDir, 'tx-b', 0);
    expect(batches[batches.length - 1]).toMatchObject({ marker: 'ABORT', producerId: p.producerId, producerEpoch: p.epoch + 1 });
  });

  it('adminAbortTransaction aborts a hanging transaction by its id', async () => {
    const p = await init('tx-admin');
    await t.ok(BEGIN, { p });
    await t.ok(PRODUCE, records('tx-b', p, 0, [[0, 'hanging']]));
    const metrics = async () => (await fetch(t.node.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(await metrics()).toMatch(/^logway_transactions_open 1$/m);
    expect(await metrics()).toMatch(/^logway_transaction_oldest_open_age_seconds \d/m);
    expect((await t.ok(`mutation { adminAbortTransaction(transactionalId: "tx-admin") }`)).adminAbortTransaction).toBe(true);
    expect(await metrics()).toMatch(/^logway_transactions_open 0$/m);
    expect((await t.ok(`mutation { adminAbortTransaction(transactionalId: "tx-admin") }`)).adminAbortTransaction).toBe(false);
    expect(await t.errorCode(COMMIT, { p })).toBe('PRODUCER_FENCED');
    expect((await t.ok(TXNS, { s: 'COMPLETE_ABORT' })).transactions.map((x: any) => x.transactionalId)).toContain('tx-admin');
  });
});
