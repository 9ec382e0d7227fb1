import { Field, Int, ObjectType } from 'type-graphql';
import type { TopicDescription } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { ConfigEntryType } from './config-entry.type';
import { PartitionType } from './partition.type';

@ObjectType('Topic', { simpleResolvers: true, description: "A topic: a named stream of records split into partitions (Kafka's)" })
export class TopicType {
  constructor(private readonly topic: TopicDescription) {}

  @Field(() => String, { description: 'The topic name (1 to 249 of a-z A-Z 0-9 . _ -)' }) get name(): string {
    return this.topic.name;
  }
  @Field(() => String, { description: 'Changes when a topic is deleted and created again' })
  get topicId(): string {
    return this.topic.topicId;
  }
  @Field(() => Boolean, { description: "True for the node's own topics (names starting with __); listed only with includeInternal" })
  get internal(): boolean {
    return this.topic.internal;
  }
  @Field(() => [PartitionType], { description: 'Its partitions, by number' }) get partitions(): PartitionType[] {
    return this.topic.partitions.map((p) => new PartitionType(p));
  }
  @Field(() => Int, { description: 'How many partitions it has' }) get partitionCount(): number {
    return this.topic.partitions.length;
  }
  @Field(() => Int, { description: 'How many replicas each partition has' }) get replicationFactor(): number {
    return this.topic.replicationFactor;
  }
  @Field(() => [ConfigEntryType], { description: 'Every topic setting with its value, overridden or default' })
  get configs(): ConfigEntryType[] {
    return this.topic.configs;
  }
  @Field(() => SafeIntScalar, { description: "Bytes of all its partitions' segment files on disk" }) get sizeBytes(): number {
    return this.topic.sizeBytes;
  }
  @Field(() => SafeIntScalar, { description: 'Records between log start and high watermark (compaction leaves gaps)' })
  get messageCount(): number {
    return this.topic.messageCount;
  }
  @Field(() => DateTimeScalar, { description: 'When it was created' }) get createdAt(): Date {
    return new Date(this.topic.createdAtMs);
  }
}
