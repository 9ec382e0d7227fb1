import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { ClusterType } from '../types/cluster.type';
import { PartitionType } from '../types/partition.type';

@Resolver()
export class ClusterResolver {
  @Query(() => ClusterType, { description: 'Nodes, controller and version' })
  cluster(@Ctx() ctx: GraphQLContext): ClusterType {
    return new ClusterType(ctx.broker.describeCluster());
  }

  @Mutation(() => [PartitionType], {
    description:
      "Preferred-leader election: each partition's first replica leads again (new leader epoch) when it is in the ISR and alive; PREFERRED_LEADER_NOT_AVAILABLE (retriable) when it is not",
  })
  async electLeaders(
    @Ctx() ctx: GraphQLContext,
    @Arg('topic', () => String, { description: 'The topic' }) topic: string,
    @Arg('partitions', () => [Int], { nullable: true, description: 'The partitions; default every partition of the topic' })
    partitions?: number[] | null,
  ): Promise<PartitionType[]> {
    return (await ctx.broker.electLeaders(topic, partitions ?? null)).map((p) => new PartitionType(p));
  }
}
