/**
 * A transactional producer for black-box tests that speaks only the public GraphQL mutations
 * (docs/GRAPHQL-API.md "Exactly-once"): initProducer(transactionalId), beginTransaction on the first
 * write of a transaction, produce with the producer's sequence (from 0 in each transaction), and
 * commitTransaction / abortTransaction, after which the epoch is one higher and the sequence 0 again
 * (KIP-890, server/coordinators/transactions/README.md). `run` is any "data of a request that
 * must succeed" function (TestNode.ok, or one over a child process's URL).
 */
export type RunGraphQL = (query: string, variables?: Record<string, unknown>) => Promise<any>;

export const TXN_MUTATIONS = {
  init: 'mutation($id: String!, $t: Int) { initProducer(transactionalId: $id, transactionTimeoutMs: $t) { producerId epoch } }',
  begin: 'mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }',
  commit: 'mutation($p: ProducerIdentityInput!) { commitTransaction(producer: $p) }',
  abort: 'mutation($p: ProducerIdentityInput!) { abortTransaction(producer: $p) }',
  produce: 'mutation($input: ProduceInput!) { produce(input: $input) { partitions { partition baseOffset lastOffset } } }',
};

export interface Produced {
  partition: number;
  baseOffset: number;
  lastOffset: number;
}

export class GraphQLTxnProducer {
  producer: { producerId: number; epoch: number } | null = null;
  private sequence = 0;
  /** Whether a transaction is open (begun and not yet ended). */
  open = false;

  constructor(
    private readonly run: RunGraphQL,
    readonly transactionalId: string,
    private readonly timeoutMs: number | null = null,
  ) {}

  /** initProducer: a new epoch (an open transaction of an older one is aborted by the node). */
  async init(): Promise<void> {
    const { producerId, epoch } = (await this.run(TXN_MUTATIONS.init, { id: this.transactionalId, t: this.timeoutMs })).initProducer;
    this.producer = { producerId, epoch };
    this.sequence = 0;
    this.open = false;
  }

  /** Writes `values` into one partition inside the transaction, beginning it first if none is open. */
  async write(topic: string, partition: number, values: string[]): Promise<Produced> {
    if (!this.producer) await this.init();
    if (!this.open) {
      await this.run(TXN_MUTATIONS.begin, { p: this.producer });
      this.open = true;
      this.sequence = 0;
    }
    const input = { topic, producer: this.producer, sequence: this.sequence, records: values.map((value) => ({ partition, value })) };
    const result = await this.run(TXN_MUTATIONS.produce, { input });
    this.sequence += 1;
    return result.produce.partitions[0];
  }

  /** Commits or aborts the open transaction; afterwards the epoch is one higher. */
  async end(type: 'COMMIT' | 'ABORT'): Promise<void> {
    if (!this.open || !this.producer) throw new Error(`${this.transactionalId}: no open transaction to ${type}`);
    await this.run(type === 'COMMIT' ? TXN_MUTATIONS.commit : TXN_MUTATIONS.abort, { p: this.producer });
    this.producer = { ...this.producer, epoch: this.producer.epoch + 1 };
    this.open = false;
    this.sequence = 0;
  }
}

/** A plain (non-transactional) produce of `values` into one partition. */
export async function producePlain(run: RunGraphQL, topic: string, partition: number, values: string[]): Promise<Produced> {
  const result = await run(TXN_MUTATIONS.produce, { input: { topic, records: values.map((value) => ({ partition, value })) } });
  return result.produce.partitions[0];
}
