import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CommittedOffsetView, ConsumerGroupView, GroupMemberView, GroupPartitionOffsetView, TopicPartitions } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

export enum GroupState {
  EMPTY = 'Empty',
  PREPARING_REBALANCE = 'PreparingRebalance',
  COMPLETING_REBALANCE = 'CompletingRebalance',
  STABLE = 'Stable',
  DEAD = 'Dead',
}
registerEnumType(GroupState, { name: 'GroupState', description: "A consumer group's lifecycle state (Kafka's)" });

export enum ResetTarget { EARLIEST = 'EARLIEST', LATEST = 'LATEST', OFFSET = 'OFFSET', TIMESTAMP = 'TIMESTAMP' }
registerEnumType(ResetTarget, { name: 'ResetTarget' });

@ObjectType('TopicPartitions')
export class TopicPartitionsType {
  @Field(() => String) topic!: string;
  @Field(() => [Int]) partitions!: number[];
}

@ObjectType('GroupMember')
export class GroupMemberType {
  constructor(private readonly member: GroupMemberView) {}

  @Field(() => String) get memberId(): string { return this.member.memberId; }
  @Field(() => String, { nullable: true, description: 'Static membership id' }) get groupInstanceId(): string | null { return this.member.groupInstanceId; }
  @Field(() => String, { nullable: true }) get clientId(): string | null { return this.member.clientId; }
  @Field(() => String, { nullable: true }) get host(): string | null { return this.member.host; }
  @Field(() => Boolean, { description: 'False for a static member between connections' }) get connected(): boolean { return this.member.connected; }
  @Field(() => Int) get generation(): number { return this.member.generation; }
  @Field(() => Int) get sessionTimeoutMs(): number { return this.member.sessionTimeoutMs; }
  @Field(() => SafeIntScalar) get heartbeatAgeMs(): number { return this.member.heartbeatAgeMs; }
  @Field(() => Boolean) get autoCommit(): boolean { return this.member.autoCommit; }
  @Field(() => [TopicPartitionsType]) get assignment(): TopicPartitions[] { return this.member.assignment; }
  @Field(() => [TopicPartitionsType]) get paused(): TopicPartitions[] { return this.member.paused; }
}

@ObjectType('GroupPartitionOffset')
export class GroupPartitionOffsetType {
  constructor(readonly groupId: string, private readonly offset: GroupPartitionOffsetView) {}

  @Field(() => String) get topic(): string { return this.offset.topic; }
  @Field(() => Int) get partition(): number { return this.offset.partition; }
  @Field(() => SafeIntScalar, { nullable: true, description: 'The next offset the group will read; null when nothing is committed' })
  get committedOffset(): number | null { return this.offset.committedOffset; }
  @Field(() => String, { nullable: true }) get metadata(): string | null { return this.offset.metadata; }
  @Field(() => DateTimeScalar, { nullable: true }) get commitTime(): Date | null { return this.offset.commitTimeMs === null ? null : new Date(this.offset.commitTimeMs); }
  @Field(() => SafeIntScalar) get logStartOffset(): number { return this.offset.logStartOffset; }
  @Field(() => SafeIntScalar) get logEndOffset(): number { return this.offset.logEndOffset; }
  @Field(() => SafeIntScalar) get highWatermark(): number { return this.offset.highWatermark; }
  @Field(() => SafeIntScalar, { description: 'highWatermark − committedOffset (or − logStartOffset when nothing is committed)' })
  get lag(): number { return this.offset.lag; }
}

@ObjectType('ConsumerGroup')
export class ConsumerGroupType {
  constructor(readonly view: ConsumerGroupView) {}

  @Field(() => String) get id(): string { return this.view.groupId; }
  @Field(() => GroupState) get state(): string { return this.view.state; }
  @Field(() => Int) get generation(): number { return this.view.generation; }
  @Field(() => String, { nullable: true, description: 'The assignor: range, roundrobin or cooperative-sticky' }) get protocol(): string | null { return this.view.protocol; }
  @Field(() => [GroupMemberType]) get members(): GroupMemberType[] { return this.view.members.map((m) => new GroupMemberType(m)); }
  @Field(() => [GroupPartitionOffsetType]) get offsets(): GroupPartitionOffsetType[] {
    return this.view.offsets.map((o) => new GroupPartitionOffsetType(this.view.groupId, o));
  }
  @Field(() => SafeIntScalar) get totalLag(): number { return this.view.totalLag; }
}

@ObjectType('CommittedOffset')
export class CommittedOffsetType {
  constructor(private readonly committed: CommittedOffsetView) {}

  @Field(() => String) get group(): string { return this.committed.group; }
  @Field(() => String) get topic(): string { return this.committed.topic; }
  @Field(() => Int) get partition(): number { return this.committed.partition; }
  @Field(() => SafeIntScalar) get offset(): number { return this.committed.offset; }
  @Field(() => String, { nullable: true }) get metadata(): string | null { return this.committed.metadata; }
  @Field(() => DateTimeScalar) get commitTime(): Date { return new Date(this.committed.commitTimeMs); }
}
