import { Field, Int, ObjectType } from 'type-graphql';
import type { ProduceOutcome } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

@ObjectType('PartitionProduceResult', {
  simpleResolvers: true,
  description: 'What one produce call appended to one partition (one RecordBatch)',
})
export class PartitionProduceResultType {
  @Field(() => Int, { description: 'The partition number' }) partition!: number;
  @Field(() => SafeIntScalar, { description: 'The offset of the first record appended; -1 with acks NONE' }) baseOffset!: number;
  @Field(() => SafeIntScalar, { description: 'The offset of the last record appended; -1 with acks NONE' }) lastOffset!: number;
  @Field(() => Int, { description: 'How many records of the call went to this partition' }) count!: number;
}

@ObjectType('RecordMetadata', { simpleResolvers: true, description: "Where one produced record was stored (Kafka's RecordMetadata)" })
export class RecordMetadataType {
  constructor(private readonly meta: ProduceOutcome['records'][number]) {}

  @Field(() => Int, { description: 'The partition the record went to' }) get partition(): number {
    return this.meta.partition;
  }
  @Field(() => SafeIntScalar, { description: 'Its offset in the partition; -1 with acks NONE' }) get offset(): number {
    return this.meta.offset;
  }
  @Field(() => SafeIntScalar, {
    description:
      "Its stored timestamp in ms since the epoch (the producer's, or the append time with message.timestamp.type=LogAppendTime); -1 with acks NONE",
  })
  get timestampMs(): number {
    return this.meta.timestampMs;
  }
  @Field(() => DateTimeScalar, { nullable: true, description: 'timestampMs as a date-time; null with acks NONE' })
  get timestamp(): Date | null {
    return this.meta.timestampMs < 0 ? null : new Date(this.meta.timestampMs);
  }
}

@ObjectType('ProduceResult', { simpleResolvers: true, description: 'The answer to a produce call' })
export class ProduceResultType {
  constructor(private readonly outcome: ProduceOutcome) {}

  @Field(() => String, { description: 'The topic produced to' }) get topic(): string {
    return this.outcome.topic;
  }
  @Field(() => [PartitionProduceResultType], { description: 'One entry per partition the call wrote to' })
  get partitions(): PartitionProduceResultType[] {
    return this.outcome.partitions;
  }
  @Field(() => [RecordMetadataType], { description: 'One per input record, in input order' })
  get records(): RecordMetadataType[] {
    return this.outcome.records.map((m) => new RecordMetadataType(m));
  }
  @Field(() => Int, {
    description:
      'How long the answer was held back because the principal is over its producer byte rate quota, in ms (also `extensions.throttleTimeMs`); 0 when not throttled. Nothing is refused for a quota',
  })
  get throttleTimeMs(): number {
    return this.outcome.throttleTimeMs ?? 0;
  }
}
