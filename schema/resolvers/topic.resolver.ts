import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { wellFormedText } from '../inputs/bytes-input';
import { ConfigEntryInput } from '../inputs/config-entry.input';
import { CreateTopicInput } from '../inputs/create-topic.input';
import { TopicType } from '../types/topic.type';

@Resolver()
export class TopicResolver {
  @Query(() => [TopicType])
  topics(
    @Ctx() ctx: GraphQLContext,
    @Arg('prefix', () => String, { nullable: true }) prefix?: string | null,
    @Arg('includeInternal', () => Boolean, { defaultValue: false }) includeInternal?: boolean,
  ): TopicType[] {
    return ctx.broker.listTopics({ prefix, includeInternal }).map((t) => new TopicType(t));
  }

  @Query(() => TopicType, { nullable: true, description: 'null when the topic does not exist' })
  async topic(@Ctx() ctx: GraphQLContext, @Arg('name', () => String) name: string): Promise<TopicType | null> {
    const topic = await ctx.loaders.topicByName.load(name);
    return topic && new TopicType(topic);
  }

  @Mutation(() => TopicType)
  async createTopic(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateTopicInput) input: CreateTopicInput): Promise<TopicType> {
    const topic = await ctx.broker.createTopic({
      name: wellFormedText(input.name, 'name'),
      partitions: input.partitions,
      replicationFactor: input.replicationFactor,
      configs: (input.configs ?? []).map((c) => ({ key: c.key, value: c.value ?? null })),
    });
    return new TopicType(topic);
  }

  @Mutation(() => Boolean, { description: 'false when there was no such topic' })
  deleteTopic(@Ctx() ctx: GraphQLContext, @Arg('name', () => String) name: string): Promise<boolean> {
    return ctx.broker.deleteTopic(name);
  }

  @Mutation(() => TopicType)
  async alterTopicConfig(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String) name: string,
    @Arg('configs', () => [ConfigEntryInput]) configs: ConfigEntryInput[],
  ): Promise<TopicType> {
    const changes = configs.map((c) => ({ key: c.key, value: c.value ?? null }));
    return new TopicType(await ctx.broker.alterTopicConfig(name, changes));
  }

  @Mutation(() => TopicType, { description: 'Raises the partition count to `count` (it never shrinks)' })
  async createPartitions(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String) name: string,
    @Arg('count', () => Int) count: number,
  ): Promise<TopicType> {
    return new TopicType(await ctx.broker.createPartitions(name, count));
  }
}
