import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { wellFormedText } from '../inputs/bytes-input';
import { ConfigEntryInput } from '../inputs/config-entry.input';
import { CreateTopicInput } from '../inputs/create-topic.input';
import { TopicType } from '../types/topic.type';

@Resolver()
export class TopicResolver {
  @Query(() => [TopicType], { description: "The topics, by name (Kafka's listTopics + describeTopics)" })
  topics(
    @Ctx() ctx: GraphQLContext,
    @Arg('prefix', () => String, { nullable: true, description: 'Only topics whose name starts with this; default all' })
    prefix?: string | null,
    @Arg('includeInternal', () => Boolean, {
      defaultValue: false,
      description: 'Also list internal topics (names starting with __); default false',
    })
    includeInternal?: boolean,
  ): TopicType[] {
    return ctx.broker.listTopics({ prefix, includeInternal }).map((t) => new TopicType(t));
  }

  @Query(() => TopicType, { nullable: true, description: 'One topic by name; null when it does not exist' })
  async topic(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String, { description: 'The topic name' }) name: string,
  ): Promise<TopicType | null> {
    const topic = await ctx.loaders.topicByName.load(name);
    return topic && new TopicType(topic);
  }

  @Mutation(() => TopicType, {
    description: 'Creates a topic with its partitions and settings (TOPIC_ALREADY_EXISTS when the name is taken)',
  })
  async createTopic(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateTopicInput, { description: 'Name, partitions, replication factor and settings' }) input: CreateTopicInput,
  ): Promise<TopicType> {
    const topic = await ctx.broker.createTopic({
      name: wellFormedText(input.name, 'name'),
      partitions: input.partitions,
      replicationFactor: input.replicationFactor,
      configs: (input.configs ?? []).map((c) => ({ key: c.key, value: c.value ?? null })),
    });
    return new TopicType(topic);
  }

  @Mutation(() => Boolean, {
    description: "Deletes a topic and all its records (Kafka's deleteTopics); false when there was no such topic",
  })
  deleteTopic(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String, { description: 'The topic to delete, with all its records' }) name: string,
  ): Promise<boolean> {
    return ctx.broker.deleteTopic(name);
  }

  @Mutation(() => TopicType, {
    description: "Changes topic settings (Kafka's incrementalAlterConfigs): only the keys given change; all or nothing",
  })
  async alterTopicConfig(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String, { description: 'The topic name' }) name: string,
    @Arg('configs', () => [ConfigEntryInput], { description: 'The settings to set; a null value sets one back to its default' })
    configs: ConfigEntryInput[],
  ): Promise<TopicType> {
    const changes = configs.map((c) => ({ key: c.key, value: c.value ?? null }));
    return new TopicType(await ctx.broker.alterTopicConfig(name, changes));
  }

  @Mutation(() => TopicType, { description: 'Raises the partition count to `count` (it never shrinks)' })
  async createPartitions(
    @Ctx() ctx: GraphQLContext,
    @Arg('name', () => String, { description: 'The topic name' }) name: string,
    @Arg('count', () => Int, { description: 'The new total number of partitions: above the current count, at most 10,000' }) count: number,
  ): Promise<TopicType> {
    return new TopicType(await ctx.broker.createPartitions(name, count));
  }
}
