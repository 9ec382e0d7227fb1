/**
 * Transactions under ACLs, black-box over HTTP (docs/GRAPHQL-API.md "Security", RELIABILITY bad
 * input 45): initProducer, beginTransaction, a transactional produce, commitTransaction and
 * abortTransaction need WRITE on the transactional id — for the calls that name only the producer
 * id, the one that producer belongs to. Each is tried without credentials (UNAUTHENTICATED),
 * by a principal lacking the ACL (TRANSACTIONAL_ID_AUTHORIZATION_FAILED, which names only the
 * producer id; the owner's transaction and the log unchanged, the owner not fenced) and with it.
 */
import { ADMIN_KEY, startSecureNode, type SecureNode } from './security-support';

const INIT = 'mutation($id: String!) { initProducer(transactionalId: $id) { producerId epoch } }';
const BEGIN = 'mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }';
const COMMIT = 'mutation($p: ProducerIdentityInput!) { commitTransaction(producer: $p) }';
const ABORT = 'mutation($p: ProducerIdentityInput!) { abortTransaction(producer: $p) }';
const PRODUCE = 'mutation($input: ProduceInput!) { produce(input: $input) { partitions { baseOffset } } }';
const TXNS = '{ transactions { transactionalId producerId epoch state partitions { topic partition } } }';

type Producer = { producerId: number; epoch: number };

let node: SecureNode;
let owner: string;
let mallory: string;

const errorOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions;
const produceInput = (producer: Producer, sequence: number, value: string) => ({
  input: { topic: 'ledger', producer, sequence, records: [{ partition: 0, value }] },
});
const transactionOf = async (id: string) =>
  (await node.okAs(ADMIN_KEY, TXNS)).transactions.find((t: { transactionalId: string }) => t.transactionalId === id);
const highWatermark = async () =>
  (await node.okAs(ADMIN_KEY, '{ topic(name: "ledger") { partitions { highWatermark } } }')).topic.partitions[0].highWatermark;

beforeAll(async () => {
  node = await startSecureNode();
  owner = (await node.keyFor('User:owner')).secret;
  mallory = (await node.keyFor('User:mallory')).secret;
  await node.okAs(ADMIN_KEY, 'mutation { createTopic(input: {name: "ledger"}) { name } }');
  await node.allow([
    { principal: 'User:owner', resourceType: 'TOPIC', resourceName: 'ledger', operation: 'WRITE' },
    { principal: 'User:owner', resourceType: 'TRANSACTIONAL_ID', resourceName: 'ledger-tx', operation: 'WRITE' },
    // Mallory may write the topic and transactions of her own ids, never the owner's.
    { principal: 'User:mallory', resourceType: 'TOPIC', resourceName: 'ledger', operation: 'WRITE' },
    { principal: 'User:mallory', resourceType: 'TRANSACTIONAL_ID', resourceName: 'mallory-', patternType: 'PREFIXED', operation: 'WRITE' },
  ]);
});

afterAll(async () => {
  await node?.stop();
});

describe('transactional ids under ACLs', () => {
  let producer: Producer;

  test('initProducer needs WRITE on the transactional id: another principal cannot fence the owner', async () => {
    producer = (await node.okAs(owner, INIT, { id: 'ledger-tx' })).initProducer;
    expect(errorOf(await node.as(null, INIT, { id: 'ledger-tx' }))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await node.as(mallory, INIT, { id: 'ledger-tx' }))).toMatchObject({
      code: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
      transactionalId: 'ledger-tx',
      operation: 'WRITE',
    });
    expect(await transactionOf('ledger-tx')).toMatchObject({ producerId: producer.producerId, epoch: producer.epoch, state: 'EMPTY' });
    // Her own ids work.
    expect((await node.okAs(mallory, INIT, { id: 'mallory-1' })).initProducer.epoch).toBe(0);
  });

  test("beginTransaction by producer id needs WRITE on that producer's transactional id; denied, the id stays EMPTY", async () => {
    expect(errorOf(await node.as(null, BEGIN, { p: producer }))?.code).toBe('UNAUTHENTICATED');
    const denied = errorOf(await node.as(mallory, BEGIN, { p: producer }));
    expect(denied).toMatchObject({ code: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', producerId: producer.producerId, operation: 'WRITE' });
    expect(denied).not.toHaveProperty('transactionalId'); // the denial does not tell her whose producer it is
    expect((await transactionOf('ledger-tx')).state).toBe('EMPTY');
    expect((await node.okAs(owner, BEGIN, { p: producer })).beginTransaction).toBe(true);
  });

  test("a transactional produce into the owner's transaction is denied and appends nothing, even without naming the id", async () => {
    expect(errorOf(await node.as(null, PRODUCE, produceInput(producer, 0, 'x')))?.code).toBe('UNAUTHENTICATED');
    expect(errorOf(await node.as(mallory, PRODUCE, produceInput(producer, 0, 'forged')))?.code).toBe(
      'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    );
    expect(await highWatermark()).toBe(0);
    expect((await transactionOf('ledger-tx')).partitions).toEqual([]);
    await node.okAs(owner, PRODUCE, produceInput(producer, 0, 'owned'));
    expect(await highWatermark()).toBe(1);
  });

  test('commitTransaction and abortTransaction by producer id are denied without the ACL; the transaction stays open', async () => {
    for (const query of [COMMIT, ABORT]) {
      expect(errorOf(await node.as(null, query, { p: producer }))?.code).toBe('UNAUTHENTICATED');
      expect(errorOf(await node.as(mallory, query, { p: producer }))).toMatchObject({
        code: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
        producerId: producer.producerId,
      });
    }
    expect(await transactionOf('ledger-tx')).toMatchObject({
      epoch: producer.epoch,
      state: 'ONGOING',
      partitions: [{ topic: 'ledger', partition: 0 }],
    });
    expect(await highWatermark()).toBe(1); // no marker was written
  });

  test('with WRITE on the id granted, the same calls work', async () => {
    await node.allow([{ principal: 'User:mallory', resourceType: 'TRANSACTIONAL_ID', resourceName: 'ledger-tx', operation: 'WRITE' }]);
    expect((await node.okAs(mallory, COMMIT, { p: producer })).commitTransaction).toBe(true);
    expect(await transactionOf('ledger-tx')).toMatchObject({ state: 'COMPLETE_COMMIT' });
    const next = { ...producer, epoch: producer.epoch + 1 };
    expect((await node.okAs(mallory, BEGIN, { p: next })).beginTransaction).toBe(true);
    expect((await node.okAs(mallory, ABORT, { p: next })).abortTransaction).toBe(true);
    expect(await transactionOf('ledger-tx')).toMatchObject({ state: 'COMPLETE_ABORT' });
  });
});
