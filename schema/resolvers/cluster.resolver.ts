import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { ClusterType } from '../types/cluster.type';

@Resolver()
export class ClusterResolver {
  @Query(() => ClusterType, { description: 'Nodes, controller and version' })
  cluster(@Ctx() ctx: GraphQLContext): ClusterType {
    return new ClusterType(ctx.broker.describeCluster());
  }
}
