import { Field, Int, ObjectType } from 'type-graphql';
import type { PartitionStatus } from '../../server/broker/index';
import { SafeIntScalar } from '../scalars/index';

@ObjectType('Partition')
export class PartitionType {
  constructor(private readonly status: PartitionStatus) {}

  @Field(() => String) get topic(): string { return this.status.topic; }
  @Field(() => Int) get partition(): number { return this.status.partition; }
  @Field(() => Int, { nullable: true }) get leader(): number | null { return this.status.leader; }
  @Field(() => Int) get leaderEpoch(): number { return this.status.leaderEpoch; }
  @Field(() => [Int]) get replicas(): number[] { return this.status.replicas; }
  @Field(() => [Int]) get isr(): number[] { return this.status.isr; }
  @Field(() => SafeIntScalar) get logStartOffset(): number { return this.status.logStartOffset; }
  @Field(() => SafeIntScalar) get highWatermark(): number { return this.status.highWatermark; }
  @Field(() => SafeIntScalar) get logEndOffset(): number { return this.status.logEndOffset; }
  @Field(() => SafeIntScalar) get lastStableOffset(): number { return this.status.lastStableOffset; }
  @Field(() => Boolean) get underReplicated(): boolean { return this.status.underReplicated; }
  @Field(() => SafeIntScalar) get sizeBytes(): number { return this.status.sizeBytes; }
}
