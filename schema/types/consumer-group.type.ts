import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  CommittedOffsetView,
  ConsumerGroupView,
  GroupMemberView,
  GroupPartitionOffsetView,
  TopicPartitions,
} from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

export enum GroupState {
  EMPTY = 'Empty',
  PREPARING_REBALANCE = 'PreparingRebalance',
  COMPLETING_REBALANCE = 'CompletingRebalance',
  STABLE = 'Stable',
  DEAD = 'Dead',
}
registerEnumType(GroupState, {
  name: 'GroupState',
  description: "A consumer group's lifecycle state (Kafka's)",
  valuesConfig: {
    EMPTY: { description: 'No members; committed offsets may remain (admin commits and resetOffsets are allowed only here)' },
    PREPARING_REBALANCE: {
      description: 'Some members are giving up (revoking) partitions that move to others and have not acknowledged yet',
    },
    COMPLETING_REBALANCE: { description: 'Nothing is being revoked any more, but some members have not acknowledged their new assignment' },
    STABLE: { description: 'Every member has acknowledged its current assignment' },
    DEAD: { description: 'The group was deleted' },
  },
});

export enum ResetTarget {
  EARLIEST = 'EARLIEST',
  LATEST = 'LATEST',
  OFFSET = 'OFFSET',
  TIMESTAMP = 'TIMESTAMP',
}
registerEnumType(ResetTarget, {
  name: 'ResetTarget',
  description: "Where resetOffsets moves a group's committed offsets (kafka-consumer-groups --reset-offsets)",
  valuesConfig: {
    EARLIEST: { description: "To each partition's log start offset (--to-earliest)" },
    LATEST: { description: "To each partition's high watermark (--to-latest)" },
    OFFSET: { description: 'To the `offset` argument, the same for every partition (--to-offset)' },
    TIMESTAMP: { description: 'To the first offset whose record timestamp is at or after the `timestamp` argument (--to-datetime)' },
  },
});

@ObjectType('TopicPartitions', { simpleResolvers: true, description: 'Some partitions of one topic' })
export class TopicPartitionsType {
  @Field(() => String, { description: 'The topic name' }) topic!: string;
  @Field(() => [Int], { description: 'Partition numbers of the topic, ascending' }) partitions!: number[];
}

@ObjectType('GroupMember', {
  simpleResolvers: true,
  description: 'One member of a consumer group: a records(group:) subscription or a pull consumer',
})
export class GroupMemberType {
  constructor(private readonly member: GroupMemberView) {}

  @Field(() => String, { description: "The id the node gave the member when it joined (Kafka's member.id)" }) get memberId(): string {
    return this.member.memberId;
  }
  @Field(() => String, { nullable: true, description: "Static membership id (Kafka's group.instance.id); null for a dynamic member" })
  get groupInstanceId(): string | null {
    return this.member.groupInstanceId;
  }
  @Field(() => String, { nullable: true, description: "The clientId the member gave when it joined (Kafka's client.id); null when none" })
  get clientId(): string | null {
    return this.member.clientId;
  }
  @Field(() => String, {
    nullable: true,
    description: "The client host the member connected from (as Kafka's describe-groups shows it); null when unknown",
  })
  get host(): string | null {
    return this.member.host;
  }
  @Field(() => Boolean, {
    description: 'False for a static member between connections (it keeps its partitions until its session timeout)',
  })
  get connected(): boolean {
    return this.member.connected;
  }
  @Field(() => Int, { description: 'The group generation this member has taken up' }) get generation(): number {
    return this.member.generation;
  }
  @Field(() => Int, {
    description:
      "Milliseconds without a heartbeat (or, for a subscription, without its socket) before the member is removed (Kafka's session.timeout.ms)",
  })
  get sessionTimeoutMs(): number {
    return this.member.sessionTimeoutMs;
  }
  @Field(() => SafeIntScalar, { description: "Milliseconds since the member's last heartbeat (a poll, or a subscription's keep-alive)" })
  get heartbeatAgeMs(): number {
    return this.member.heartbeatAgeMs;
  }
  @Field(() => Boolean, { description: "True when the member commits delivered offsets automatically (Kafka's enable.auto.commit)" })
  get autoCommit(): boolean {
    return this.member.autoCommit;
  }
  @Field(() => [TopicPartitionsType], { description: 'The partitions the member owns now, per topic' })
  get assignment(): TopicPartitions[] {
    return this.member.assignment;
  }
  @Field(() => [TopicPartitionsType], {
    description: 'Owned partitions it has paused with pauseConsumer (not delivered until resumeConsumer)',
  })
  get paused(): TopicPartitions[] {
    return this.member.paused;
  }
}

@ObjectType('GroupPartitionOffset', { simpleResolvers: true, description: "A consumer group's position and lag on one partition" })
export class GroupPartitionOffsetType {
  constructor(
    readonly groupId: string,
    private readonly offset: GroupPartitionOffsetView,
  ) {}

  @Field(() => String, { description: 'The topic name' }) get topic(): string {
    return this.offset.topic;
  }
  @Field(() => Int, { description: 'The partition number' }) get partition(): number {
    return this.offset.partition;
  }
  @Field(() => SafeIntScalar, { nullable: true, description: 'The next offset the group will read; null when nothing is committed' })
  get committedOffset(): number | null {
    return this.offset.committedOffset;
  }
  @Field(() => String, {
    nullable: true,
    description: "The metadata text stored with the commit (Kafka's offset metadata); null when none",
  })
  get metadata(): string | null {
    return this.offset.metadata;
  }
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the offset was last committed; null when nothing is committed' })
  get commitTime(): Date | null {
    return this.offset.commitTimeMs === null ? null : new Date(this.offset.commitTimeMs);
  }
  @Field(() => SafeIntScalar, { description: "The partition's first retained offset" }) get logStartOffset(): number {
    return this.offset.logStartOffset;
  }
  @Field(() => SafeIntScalar, { description: "The offset the partition's next appended record gets" }) get logEndOffset(): number {
    return this.offset.logEndOffset;
  }
  @Field(() => SafeIntScalar, { description: "The partition's high watermark: the offset after its last readable record" })
  get highWatermark(): number {
    return this.offset.highWatermark;
  }
  @Field(() => SafeIntScalar, { description: 'highWatermark − committedOffset (or − logStartOffset when nothing is committed)' })
  get lag(): number {
    return this.offset.lag;
  }
}

@ObjectType('ConsumerGroup', {
  simpleResolvers: true,
  description: "A consumer group: members sharing the partitions of their topics, and its committed offsets (Kafka's)",
})
export class ConsumerGroupType {
  constructor(readonly view: ConsumerGroupView) {}

  @Field(() => String, { description: "The group id (Kafka's group.id)" }) get id(): string {
    return this.view.groupId;
  }
  @Field(() => GroupState, { description: 'Where the group is in its lifecycle' }) get state(): string {
    return this.view.state;
  }
  @Field(() => Int, {
    description: "The group generation (Kafka's generation id): it grows by one with every rebalance; commits must name the current one",
  })
  get generation(): number {
    return this.view.generation;
  }
  @Field(() => String, { nullable: true, description: 'The assignor: range, roundrobin or cooperative-sticky' }) get protocol():
    string | null {
    return this.view.protocol;
  }
  @Field(() => [GroupMemberType], { description: 'The current members' }) get members(): GroupMemberType[] {
    return this.view.members.map((m) => new GroupMemberType(m));
  }
  @Field(() => [GroupPartitionOffsetType], { description: "Position and lag per partition of the group's topics" })
  get offsets(): GroupPartitionOffsetType[] {
    return this.view.offsets.map((o) => new GroupPartitionOffsetType(this.view.groupId, o));
  }
  @Field(() => SafeIntScalar, { description: 'The sum of lag over offsets, in records' }) get totalLag(): number {
    return this.view.totalLag;
  }
}

@ObjectType('CommittedOffset', {
  simpleResolvers: true,
  description: "An offset committed for a group (the next offset it will read, Kafka's convention)",
})
export class CommittedOffsetType {
  constructor(private readonly committed: CommittedOffsetView) {}

  @Field(() => String, { description: 'The group id' }) get group(): string {
    return this.committed.group;
  }
  @Field(() => String, { description: 'The topic name' }) get topic(): string {
    return this.committed.topic;
  }
  @Field(() => Int, { description: 'The partition number' }) get partition(): number {
    return this.committed.partition;
  }
  @Field(() => SafeIntScalar, { description: 'The committed offset: the next record the group reads' }) get offset(): number {
    return this.committed.offset;
  }
  @Field(() => String, { nullable: true, description: 'The metadata text stored with the commit; null when none' }) get metadata():
    string | null {
    return this.committed.metadata;
  }
  @Field(() => DateTimeScalar, { description: 'When it was committed' }) get commitTime(): Date {
    return new Date(this.committed.commitTimeMs);
  }
}
