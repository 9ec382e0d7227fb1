import { Field, Int, ObjectType } from 'type-graphql';
import type { PartitionStatus } from '../../server/broker/index';
import { SafeIntScalar } from '../scalars/index';

@ObjectType('Partition', {
  simpleResolvers: true,
  description: "One partition of a topic: an append-only log, its watermarks and its replicas (Kafka's)",
})
export class PartitionType {
  constructor(private readonly status: PartitionStatus) {}

  @Field(() => String, { description: 'The topic name' }) get topic(): string {
    return this.status.topic;
  }
  @Field(() => Int, { description: 'The partition number, from 0' }) get partition(): number {
    return this.status.partition;
  }
  @Field(() => Int, { nullable: true, description: 'The node id of the leader (the replica that takes writes); null when there is none' })
  get leader(): number | null {
    return this.status.leader;
  }
  @Field(() => Int, { description: "Grows by one each time leadership moves (Kafka's leader epoch)" }) get leaderEpoch(): number {
    return this.status.leaderEpoch;
  }
  @Field(() => [Int], { description: 'The node ids holding a replica, preferred leader first' }) get replicas(): number[] {
    return this.status.replicas;
  }
  @Field(() => [Int], { description: 'The in-sync replicas: node ids caught up with the leader' }) get isr(): number[] {
    return this.status.isr;
  }
  @Field(() => SafeIntScalar, { description: 'The first offset still retained (retention and deletion move it up)' })
  get logStartOffset(): number {
    return this.status.logStartOffset;
  }
  @Field(() => SafeIntScalar, {
    description:
      "The offset after the last record copied to every in-sync replica (Kafka's high watermark): readers see only offsets below it",
  })
  get highWatermark(): number {
    return this.status.highWatermark;
  }
  @Field(() => SafeIntScalar, { description: 'The offset the next appended record gets (at or above highWatermark)' })
  get logEndOffset(): number {
    return this.status.logEndOffset;
  }
  @Field(() => SafeIntScalar, {
    description: 'Where READ_COMMITTED readers stop: the first offset of an open transaction, else highWatermark',
  })
  get lastStableOffset(): number {
    return this.status.lastStableOffset;
  }
  @Field(() => Boolean, { description: 'True when the ISR has fewer members than replicas' }) get underReplicated(): boolean {
    return this.status.underReplicated;
  }
  @Field(() => SafeIntScalar, { description: "Bytes of the partition's segment files on disk" }) get sizeBytes(): number {
    return this.status.sizeBytes;
  }
}
