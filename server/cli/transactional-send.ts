/**
 * `logway produce --transactional-id X`: X's transactional producer (initProducer fences an older
 * holder of X and aborts what it left open), and one transaction per batch: begin, the batch as
 * one produce call (sequence 0 of the transaction's epoch), commit. After each commit the
 * producer's epoch is one higher (server/coordinators/transactions/README.md "Epoch per
 * transaction"). A produce or commit whose answer was lost, or refused with a retriable code, is
 * sent again as it was: the produce is appended once, and the commit's exact retry answers true.
 */
import { GraphQLResponseError, NodeUnreachableError } from './cli-errors';
import {
  BeginTransactionDocument,
  CommitTransactionDocument,
  InitTransactionalProducerDocument,
  ProduceDocument,
  type ProduceInput,
  type ProduceMutation,
} from './generated/operations';
import type { GraphQLHttpClient } from './graphql-http';
import { IDEMPOTENT_ATTEMPTS } from './idempotent-send';

const FIRST_BACKOFF_MS = 200;

export class TransactionalSender {
  private constructor(
    private readonly client: GraphQLHttpClient,
    private producer: { producerId: number; epoch: number },
  ) {}

  static async start(client: GraphQLHttpClient, transactionalId: string): Promise<TransactionalSender> {
    const { initProducer } = await client.request(InitTransactionalProducerDocument, { transactionalId });
    return new TransactionalSender(client, initProducer);
  }

  /** One transaction: the batch committed whole, or an error (and nothing of it visible to READ_COMMITTED readers). */
  async send(input: Omit<ProduceInput, 'producer' | 'sequence'>): Promise<ProduceMutation> {
    const producer = this.producer;
    await this.retrying(() => this.client.request(BeginTransactionDocument, { producer }), true);
    const answer = (await this.retrying(
      () => this.client.request(ProduceDocument, { input: { ...input, producer, sequence: 0 } }),
      false,
    ))!;
    await this.retrying(() => this.client.request(CommitTransactionDocument, { producer }), false);
    this.producer = { ...producer, epoch: producer.epoch + 1 };
    return answer;
  }

  /** `beginIsRetry`: a begin retried after its answer was lost finds its transaction open already (INVALID_TXN_STATE), which is success. */
  private async retrying<T>(call: () => Promise<T>, beginIsRetry: boolean): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (beginIsRetry && attempt > 1 && error instanceof GraphQLResponseError && error.extensions.code === 'INVALID_TXN_STATE')
          return null;
        const retriable =
          error instanceof NodeUnreachableError || (error instanceof GraphQLResponseError && error.extensions.retriable === true);
        if (!retriable || attempt >= IDEMPOTENT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }
}
