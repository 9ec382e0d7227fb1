import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { ConsumerGroupType } from '../types/consumer-group.type';
import { TopicType } from '../types/topic.type';

@Resolver(() => TopicType)
export class TopicGroupsResolver {
  @FieldResolver(() => [ConsumerGroupType], {
    description: 'The groups reading this topic: a member subscribed to it or a committed offset on it (one batched lookup per request)',
  })
  async consumerGroups(@Root() topic: TopicType, @Ctx() ctx: GraphQLContext): Promise<ConsumerGroupType[]> {
    return (await ctx.loaders.groupsByTopic.load(topic.name)).map((g) => new ConsumerGroupType(g));
  }
}
