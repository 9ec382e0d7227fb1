import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { SafeIntScalar } from '../scalars/index';
import { GroupPartitionOffsetType } from '../types/consumer-group.type';
import { PartitionType } from '../types/partition.type';

@Resolver(() => GroupPartitionOffsetType)
export class GroupPartitionOffsetResolver {
  @FieldResolver(() => PartitionType, {
    nullable: true,
    description: "The partition's leader, ISR and watermarks (one batched lookup per request)",
  })
  async partitionStatus(@Root() offset: GroupPartitionOffsetType, @Ctx() ctx: GraphQLContext): Promise<PartitionType | null> {
    const status = await ctx.loaders.partitionState.load({ topic: offset.topic, partition: offset.partition });
    return status && new PartitionType(status);
  }

  @FieldResolver(() => SafeIntScalar, {
    nullable: true,
    description: 'Age of the oldest uncommitted record in ms (0 when caught up; null when unknown)',
  })
  async timeLagMs(@Root() offset: GroupPartitionOffsetType, @Ctx() ctx: GraphQLContext): Promise<number | null> {
    const lags = await ctx.loaders.timeLagByGroup.load(offset.groupId);
    return lags.get(`${offset.topic}\u0000${offset.partition}`) ?? null;
  }
}
