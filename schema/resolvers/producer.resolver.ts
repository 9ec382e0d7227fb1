import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { ProducerIdentityInput } from '../inputs/produce.input';
import { TxnOffsetInput } from '../inputs/txn-offset.input';
import { ProducerIdentityType, ProducerStateType } from '../types/producer.type';
import { TransactionState, TransactionType } from '../types/transaction.type';

const identity = (input: ProducerIdentityInput) => ({ producerId: input.producerId, epoch: input.epoch });

@Resolver()
export class ProducerResolver {
  @Mutation(() => ProducerIdentityType, {
    description:
      'Starts a producer: without transactionalId an idempotent one (a new producer id, epoch 0); with one the transactional producer of that id, its epoch bumped (older holders are fenced) and its open transaction aborted',
  })
  async initProducer(
    @Ctx() ctx: GraphQLContext,
    @Arg('transactionalId', () => String, { nullable: true, description: "A transactional producer's id (Kafka's transactional.id)" })
    transactionalId?: string | null,
    @Arg('transactionTimeoutMs', () => Int, {
      nullable: true,
      description: "A transactional producer's transaction timeout: default 60000, at most 900000",
    })
    transactionTimeoutMs?: number | null,
  ): Promise<ProducerIdentityType> {
    const produced = await ctx.broker.transactions.initProducer(transactionalId ?? null, transactionTimeoutMs ?? null);
    return { ...produced, transactionalId: transactionalId ?? null };
  }

  @Mutation(() => Boolean, { description: 'Opens a transaction for a transactional producer (INVALID_TXN_STATE when one is open)' })
  beginTransaction(
    @Ctx() ctx: GraphQLContext,
    @Arg('producer', () => ProducerIdentityInput, { description: 'The producer, as initProducer returned it' })
    producer: ProducerIdentityInput,
  ): Promise<boolean> {
    return ctx.broker.transactions.beginTransaction(identity(producer));
  }

  @Mutation(() => Boolean, {
    description:
      "Commits the open transaction (and the group offsets with it); afterwards the producer's epoch is epoch + 1 and its sequences start at 0 again",
  })
  commitTransaction(
    @Ctx() ctx: GraphQLContext,
    @Arg('producer', () => ProducerIdentityInput, { description: 'The producer, as initProducer returned it' })
    producer: ProducerIdentityInput,
    @Arg('offsets', () => [TxnOffsetInput], { nullable: true, description: 'Group offsets committed atomically with the records' })
    offsets?: TxnOffsetInput[] | null,
    @Arg('memberId', () => String, {
      nullable: true,
      description:
        'The group member whose input the offsets are (with generation; the offsets then all of its group): fenced like its own commitOffsets, ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID leave the transaction open',
    })
    memberId?: string | null,
    @Arg('generation', () => Int, { nullable: true, description: "That member's generation (with memberId)" }) generation?: number | null,
  ): Promise<boolean> {
    const txnOffsets = (offsets ?? []).map((o) => ({
      group: o.group,
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      metadata: o.metadata ?? null,
    }));
    return ctx.broker.transactions.commitTransaction(identity(producer), txnOffsets, memberId ?? null, generation ?? null);
  }

  @Mutation(() => Boolean, {
    description: "Aborts the open transaction; afterwards the producer's epoch is epoch + 1 and its sequences start at 0 again",
  })
  abortTransaction(
    @Ctx() ctx: GraphQLContext,
    @Arg('producer', () => ProducerIdentityInput, { description: 'The producer, as initProducer returned it' })
    producer: ProducerIdentityInput,
  ): Promise<boolean> {
    return ctx.broker.transactions.abortTransaction(identity(producer));
  }

  @Mutation(() => Boolean, {
    description:
      "An operator's abort of a hanging transaction by its transactional id (no epoch needed; its producer is fenced): true when one was open",
  })
  adminAbortTransaction(
    @Ctx() ctx: GraphQLContext,
    @Arg('transactionalId', () => String, { description: 'The transactional id' }) transactionalId: string,
  ): Promise<boolean> {
    return ctx.broker.transactions.abortTransactionById(transactionalId);
  }

  @Query(() => [TransactionType], {
    description: "Every transactional id's current or last transaction, by id; with state, only those in it",
  })
  transactions(
    @Ctx() ctx: GraphQLContext,
    @Arg('state', () => TransactionState, { nullable: true, description: 'Only transactions in this state' })
    state?: TransactionState | null,
  ): TransactionType[] {
    return ctx.broker.transactions.listTransactions(state ?? null).map((view) => new TransactionType(view));
  }

  @Query(() => [ProducerStateType], {
    description: 'The idempotent producers one partition remembers (their last sequence here), by producer id',
  })
  producers(
    @Ctx() ctx: GraphQLContext,
    @Arg('topic', () => String, { description: 'The topic name' }) topic: string,
    @Arg('partition', () => Int, { description: 'The partition number' }) partition: number,
  ): ProducerStateType[] {
    return ctx.broker.producerStates(topic, partition).map((view) => new ProducerStateType(view));
  }
}
