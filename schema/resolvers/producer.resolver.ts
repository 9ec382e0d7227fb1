import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { UnsupportedFeatureError } from '../errors/unsupported';
import { ProducerIdentityType, ProducerStateType } from '../types/producer.type';

@Resolver()
export class ProducerResolver {
  @Mutation(() => ProducerIdentityType, { description: 'Starts an idempotent producer (no transactionalId): a new producer id, epoch 0. Transactional producers are not available yet' })
  async initProducer(
    @Ctx() ctx: GraphQLContext,
    @Arg('transactionalId', () => String, { nullable: true, description: 'A transactional producer\'s id (not available yet: UNSUPPORTED_VERSION)' }) transactionalId?: string | null,
    @Arg('transactionTimeoutMs', () => Int, { nullable: true, description: 'A transactional producer\'s transaction timeout (not available yet)' }) transactionTimeoutMs?: number | null,
  ): Promise<ProducerIdentityType> {
    if (transactionalId != null || transactionTimeoutMs != null) throw new UnsupportedFeatureError('transactional producers');
    const identity = await ctx.broker.initProducer();
    return { ...identity, transactionalId: null };
  }

  @Query(() => [ProducerStateType], { description: 'The idempotent producers one partition remembers (their last sequence here), by producer id' })
  producers(
    @Ctx() ctx: GraphQLContext,
    @Arg('topic', () => String, { description: 'The topic name' }) topic: string,
    @Arg('partition', () => Int, { description: 'The partition number' }) partition: number,
  ): ProducerStateType[] {
    return ctx.broker.producerStates(topic, partition).map((view) => new ProducerStateType(view));
  }
}
