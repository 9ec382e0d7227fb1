import { Field, Int, ObjectType } from 'type-graphql';
import type { ProduceOutcome } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

@ObjectType('PartitionProduceResult')
export class PartitionProduceResultType {
  @Field(() => Int) partition!: number;
  @Field(() => SafeIntScalar, { description: '-1 with acks NONE' }) baseOffset!: number;
  @Field(() => SafeIntScalar) lastOffset!: number;
  @Field(() => Int) count!: number;
}

@ObjectType('RecordMetadata')
export class RecordMetadataType {
  constructor(private readonly meta: ProduceOutcome['records'][number]) {}

  @Field(() => Int) get partition(): number { return this.meta.partition; }
  @Field(() => SafeIntScalar) get offset(): number { return this.meta.offset; }
  @Field(() => SafeIntScalar) get timestampMs(): number { return this.meta.timestampMs; }
  @Field(() => DateTimeScalar, { nullable: true }) get timestamp(): Date | null {
    return this.meta.timestampMs < 0 ? null : new Date(this.meta.timestampMs);
  }
}

@ObjectType('ProduceResult')
export class ProduceResultType {
  constructor(private readonly outcome: ProduceOutcome) {}

  @Field(() => String) get topic(): string { return this.outcome.topic; }
  @Field(() => [PartitionProduceResultType]) get partitions(): PartitionProduceResultType[] { return this.outcome.partitions; }
  @Field(() => [RecordMetadataType], { description: 'One per input record, in input order' })
  get records(): RecordMetadataType[] { return this.outcome.records.map((m) => new RecordMetadataType(m)); }
}
