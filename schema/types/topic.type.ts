import { Field, Int, ObjectType } from 'type-graphql';
import type { TopicDescription } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { ConfigEntryType } from './config-entry.type';
import { PartitionType } from './partition.type';

@ObjectType('Topic')
export class TopicType {
  constructor(private readonly topic: TopicDescription) {}

  @Field(() => String) get name(): string { return this.topic.name; }
  @Field(() => String, { description: 'Changes when a topic is deleted and created again' })
  get topicId(): string { return this.topic.topicId; }
  @Field(() => Boolean) get internal(): boolean { return this.topic.internal; }
  @Field(() => [PartitionType]) get partitions(): PartitionType[] { return this.topic.partitions.map((p) => new PartitionType(p)); }
  @Field(() => Int) get partitionCount(): number { return this.topic.partitions.length; }
  @Field(() => Int) get replicationFactor(): number { return this.topic.replicationFactor; }
  @Field(() => [ConfigEntryType]) get configs(): ConfigEntryType[] { return this.topic.configs; }
  @Field(() => SafeIntScalar) get sizeBytes(): number { return this.topic.sizeBytes; }
  @Field(() => SafeIntScalar, { description: 'Records between log start and high watermark (compaction leaves gaps)' })
  get messageCount(): number { return this.topic.messageCount; }
  @Field(() => DateTimeScalar) get createdAt(): Date { return new Date(this.topic.createdAtMs); }
}
