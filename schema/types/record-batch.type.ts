import { Field, Int, ObjectType } from 'type-graphql';
import type { RecordBatchEvent } from '../../server/broker/index';
import { SafeIntScalar } from '../scalars/index';
import { LogRecord } from './record.type';

@ObjectType('RecordBatch', { description: 'Records of one partition pushed to a subscription' })
export class RecordBatchType {
  constructor(private readonly event: RecordBatchEvent) {}

  @Field(() => String) get topic(): string { return this.event.topic; }
  @Field(() => Int) get partition(): number { return this.event.partition; }
  @Field(() => [LogRecord]) get records(): LogRecord[] { return this.event.records.map((r) => new LogRecord(r, this.event.topic, this.event.partition)); }
  @Field(() => SafeIntScalar) get highWatermark(): number { return this.event.highWatermark; }
  @Field(() => SafeIntScalar, { description: 'Records committed to this partition and not yet delivered' })
  get lag(): number { return this.event.lag; }
  @Field(() => String, { nullable: true }) get memberId(): string | null { return this.event.memberId ?? null; }
  @Field(() => Int, { nullable: true }) get generation(): number | null { return this.event.generation ?? null; }
  @Field(() => [Int], { nullable: true, description: 'Set when a group rebalance gave this member new partitions' })
  get assignment(): number[] | null { return this.event.assignment ?? null; }
}
