import { Arg, Args, Ctx, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { ConsumerGroupView, ResetTarget as BrokerResetTarget } from '../../server/broker/index';
import { BadUserInputError } from '../../server/errors';
import { GroupMemberArgs } from '../args/group-member.args';
import { groupOptions } from '../args/group-options';
import { MemberPartitionsArgs } from '../args/member-partitions.args';
import type { GraphQLContext } from '../context.type';
import { OffsetCommitInput } from '../inputs/commit-offsets.input';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { CommittedOffsetType, ConsumerGroupType, ResetTarget } from '../types/consumer-group.type';
import { Isolation, StartFrom } from '../types/enums';
import { PollResultType } from '../types/poll-result.type';
import { reportThrottle } from '../response-extensions';

@Resolver()
export class ConsumerGroupResolver {
  @Query(() => [ConsumerGroupType], {
    description: "Every consumer group the node knows, with members and offsets (Kafka's listGroups + describeGroups)",
  })
  consumerGroups(@Ctx() ctx: GraphQLContext): ConsumerGroupType[] {
    return ctx.broker.listGroups().map((g) => new ConsumerGroupType(g));
  }

  @Query(() => ConsumerGroupType, { nullable: true, description: 'One consumer group by id; null when it does not exist' })
  async consumerGroup(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => String, { description: 'The group id' }) id: string,
  ): Promise<ConsumerGroupType | null> {
    const group = await ctx.loaders.groupById.load(id);
    return group && new ConsumerGroupType(group);
  }

  @Mutation(() => [CommittedOffsetType], {
    description:
      "Commits offsets for a group (Kafka's OffsetCommit). Members pass memberId and generation; without both it is an admin commit (empty groups only)",
  })
  async commitOffsets(
    @Ctx() ctx: GraphQLContext,
    @Arg('group', () => String, { description: 'The group id' }) group: string,
    @Arg('offsets', () => [OffsetCommitInput], { description: 'The offsets to commit, each the next offset to read' })
    offsets: OffsetCommitInput[],
    @Arg('memberId', () => String, {
      nullable: true,
      description: 'The committing member (from its RecordBatch or PollResult); omit for an admin commit',
    })
    memberId?: string | null,
    @Arg('generation', () => Int, { nullable: true, description: "The member's current generation; a stale one is ILLEGAL_GENERATION" })
    generation?: number | null,
  ): Promise<CommittedOffsetType[]> {
    const entries = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, metadata: o.metadata ?? null }));
    const committed = await ctx.broker.commitOffsets(group, entries, memberId ?? null, generation ?? null);
    return committed.map((c) => new CommittedOffsetType(c));
  }

  @Mutation(() => [CommittedOffsetType], { description: 'Moves the committed offsets of a topic; only for a group with no members' })
  async resetOffsets(
    @Ctx() ctx: GraphQLContext,
    @Arg('group', () => String, { description: 'The group id' }) group: string,
    @Arg('topic', () => String, { description: 'The topic whose offsets move' }) topic: string,
    @Arg('to', () => ResetTarget, { description: 'Where to move them' }) to: ResetTarget,
    @Arg('offset', () => SafeIntScalar, { nullable: true, description: 'With to: OFFSET' }) offset?: number | null,
    @Arg('timestamp', () => DateTimeScalar, { nullable: true, description: 'With to: TIMESTAMP' }) timestamp?: Date | null,
    @Arg('partitions', () => [Int], { nullable: true, description: 'Only these partitions; default every partition of the topic' })
    partitions?: number[] | null,
  ): Promise<CommittedOffsetType[]> {
    const committed = await ctx.broker.resetOffsets(
      group,
      topic,
      resetTarget(to, offset ?? null, timestamp ?? null),
      partitions ?? undefined,
    );
    return committed.map((c) => new CommittedOffsetType(c));
  }

  @Mutation(() => PollResultType, {
    description: 'Pull consumer: the next batches for a member (joins the group when memberId is omitted)',
  })
  pollRecords(
    @Ctx() ctx: GraphQLContext,
    @Arg('group', () => String, { description: 'The group id to consume as' }) group: string,
    @Arg('topic', () => String, { description: 'The topic to consume' }) topic: string,
    @Args(() => GroupMemberArgs) member: GroupMemberArgs,
    @Arg('memberId', () => String, { nullable: true, description: 'The memberId of the previous poll; omit to join as a new member' })
    memberId?: string | null,
    @Arg('from', () => StartFrom, { defaultValue: StartFrom.EARLIEST, description: 'Where to start partitions with no committed offset' })
    from?: StartFrom,
    @Arg('maxRecords', () => Int, { defaultValue: 500, description: 'Most records over all batches; default 500, at most 10,000' })
    maxRecords?: number,
    @Arg('maxWaitMs', () => Int, {
      defaultValue: 0,
      description: 'Long poll: wait up to this many ms for records (default 0, at most 30,000)',
    })
    maxWaitMs?: number,
    @Arg('isolation', () => Isolation, {
      defaultValue: Isolation.READ_UNCOMMITTED,
      description: 'How far to read (default READ_UNCOMMITTED)',
    })
    isolation?: Isolation,
  ): Promise<PollResultType> {
    return ctx.broker
      .pollRecords({
        topic,
        memberId: memberId ?? null,
        options: groupOptions(group, member, ctx.clientHost),
        from: from!,
        maxRecords: maxRecords!,
        maxWaitMs: maxWaitMs!,
        isolation: isolation!,
      })
      .then((result) => {
        if (result.throttleTimeMs) reportThrottle(ctx, result.throttleTimeMs);
        return new PollResultType(result);
      });
  }

  @Mutation(() => Boolean, { description: 'Ends a pull consumer now (its partitions move to the others); false if unknown' })
  leaveGroup(
    @Ctx() ctx: GraphQLContext,
    @Arg('group', () => String, { description: 'The group id' }) group: string,
    @Arg('memberId', () => String, { description: "The pull consumer's member id" }) memberId: string,
  ): Promise<boolean> {
    return ctx.broker.leaveGroup(group, memberId);
  }

  @Mutation(() => [Int], {
    description: "Stops delivering these partitions to the member; returns the member's paused partitions of the topic",
  })
  pauseConsumer(@Ctx() ctx: GraphQLContext, @Args(() => MemberPartitionsArgs) args: MemberPartitionsArgs): number[] {
    return ctx.broker.pausePartitions(args.group, args.memberId, args.topic, args.partitions, true);
  }

  @Mutation(() => [Int], { description: "Delivers these partitions again; returns the member's paused partitions of the topic" })
  resumeConsumer(@Ctx() ctx: GraphQLContext, @Args(() => MemberPartitionsArgs) args: MemberPartitionsArgs): number[] {
    return ctx.broker.pausePartitions(args.group, args.memberId, args.topic, args.partitions, false);
  }

  @Subscription(() => ConsumerGroupType, {
    description: 'The group, pushed when its lag or membership changes',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { group: string }, GraphQLContext>) =>
      context.broker.watchGroup(args.group),
  })
  groupLag(
    @Root() view: ConsumerGroupView,
    @Arg('group', () => String, { description: 'The group id' }) _group: string,
  ): ConsumerGroupType {
    return new ConsumerGroupType(view);
  }
}

function resetTarget(to: ResetTarget, offset: number | null, timestamp: Date | null): BrokerResetTarget {
  switch (to) {
    case ResetTarget.EARLIEST:
      return { to: 'EARLIEST' };
    case ResetTarget.LATEST:
      return { to: 'LATEST' };
    case ResetTarget.OFFSET:
      if (offset === null) throw new BadUserInputError('to: OFFSET needs an offset', { field: 'offset' });
      return { to: 'OFFSET', offset };
    case ResetTarget.TIMESTAMP:
      if (timestamp === null) throw new BadUserInputError('to: TIMESTAMP needs a timestamp', { field: 'timestamp' });
      return { to: 'TIMESTAMP', timestampMs: timestamp.getTime() };
  }
}
