/**
 * `logway produce --idempotent`: one producer id from initProducer, a sequence per batch, and a
 * batch whose answer was lost (the node unreachable, a timeout, a dropped connection) or refused
 * with a retriable code is sent again with the same sequence, so the node appends it at most once
 * and answers the retry with the original offsets (docs/GRAPHQL-API.md "Exactly-once").
 */
import { GraphQLResponseError, NodeUnreachableError } from './cli-errors';
import { InitProducerDocument, ProduceDocument, type ProduceInput, type ProduceMutation } from './generated/operations';
import type { GraphQLHttpClient } from './graphql-http';

/** Attempts per batch, and the pause before the first retry (doubled after each). */
export const IDEMPOTENT_ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 200;
const SEQUENCE_MODULUS = 2 ** 31;

export class IdempotentSender {
  private sequence = 0;

  private constructor(
    private readonly client: GraphQLHttpClient,
    private readonly producer: { producerId: number; epoch: number },
  ) {}

  static async start(client: GraphQLHttpClient): Promise<IdempotentSender> {
    const { initProducer } = await client.request(InitProducerDocument, {});
    return new IdempotentSender(client, initProducer);
  }

  /** Sends one produce input (without producer/sequence) until it is answered; the next call gets the next sequence. */
  async send(input: Omit<ProduceInput, 'producer' | 'sequence'>): Promise<ProduceMutation> {
    const variables = { input: { ...input, producer: this.producer, sequence: this.sequence } };
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.client.request(ProduceDocument, variables);
        this.sequence = (this.sequence + 1) % SEQUENCE_MODULUS;
        return answer;
      } catch (error) {
        const retriable =
          error instanceof NodeUnreachableError || (error instanceof GraphQLResponseError && error.extensions.retriable === true);
        if (!retriable || attempt >= IDEMPOTENT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }
}
