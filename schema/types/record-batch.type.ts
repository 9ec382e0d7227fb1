import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RecordBatchEvent } from '../../server/broker/index';
import { SafeIntScalar } from '../scalars/index';
import { LogRecord } from './record.type';

/** What a RecordBatch event is: announcements used to be recognisable only by their sentinel values. */
export enum RecordBatchKind {
  RECORDS = 'RECORDS',
  ASSIGNMENT = 'ASSIGNMENT',
}
registerEnumType(RecordBatchKind, {
  name: 'RecordBatchKind',
  description: "What a RecordBatch event carries: records, or a consumer-group member's assignment announcement",
  valuesConfig: {
    RECORDS: { description: 'Records of one partition (`partition`, `records`, `highWatermark` and `lag` are real values)' },
    ASSIGNMENT: {
      description:
        "A group member's assignment changed (on join and after every rebalance): `assignment`, `assigned` and `revoked` say how; it has no records",
    },
  },
});

@ObjectType('RecordBatch', {
  simpleResolvers: true,
  description: "Records of one partition pushed to a subscription, or (kind ASSIGNMENT) a group member's assignment announcement",
})
export class RecordBatchType {
  constructor(private readonly event: RecordBatchEvent) {}

  @Field(() => RecordBatchKind, {
    description:
      "RECORDS for a batch of records; ASSIGNMENT for a group member's assignment announcement (branch on this, not on partition -1)",
  })
  get kind(): RecordBatchKind {
    return this.event.announcement ? RecordBatchKind.ASSIGNMENT : RecordBatchKind.RECORDS;
  }
  @Field(() => String, { description: 'The topic the records (or the assignment) belong to' }) get topic(): string {
    return this.event.topic;
  }
  @Field(() => Int, {
    description: 'The partition of these records; -1 on an ASSIGNMENT announcement (a sentinel kept for older clients: use kind)',
  })
  get partition(): number {
    return this.event.partition;
  }
  @Field(() => [LogRecord], { description: 'The records, in offset order (at most maxBatch); empty on an ASSIGNMENT announcement' })
  get records(): LogRecord[] {
    return this.event.records.map((r) => new LogRecord(r, this.event.topic, this.event.partition));
  }
  @Field(() => SafeIntScalar, {
    description:
      "The partition's high watermark when the batch was read (the offset after the last readable record); 0 on an ASSIGNMENT announcement (sentinel: use kind)",
  })
  get highWatermark(): number {
    return this.event.highWatermark;
  }
  @Field(() => SafeIntScalar, {
    description:
      'Records committed to this partition and not yet delivered (highWatermark minus the offset after this batch); 0 on an ASSIGNMENT announcement (sentinel: use kind)',
  })
  get lag(): number {
    return this.event.lag;
  }
  @Field(() => String, {
    nullable: true,
    description: 'The consumer-group member id of this subscription (pass it to commitOffsets); null without a group',
  })
  get memberId(): string | null {
    return this.event.memberId ?? null;
  }
  @Field(() => Int, {
    nullable: true,
    description: "The group generation the member is in (Kafka's generation id; pass it to commitOffsets); null without a group",
  })
  get generation(): number | null {
    return this.event.generation ?? null;
  }
  @Field(() => [Int], {
    nullable: true,
    description:
      'On an ASSIGNMENT announcement: every partition of the topic this member owns now, ascending (set whether partitions were added or taken away); null on RECORDS',
  })
  get assignment(): number[] | null {
    return this.event.assignment ?? null;
  }
  @Field(() => [Int], {
    nullable: true,
    description:
      "On an ASSIGNMENT announcement: the partitions this member gained since its previous announcement (all of them on the first), as Kafka's onPartitionsAssigned; null on RECORDS",
  })
  get assigned(): number[] | null {
    return this.event.announcement?.assigned ?? null;
  }
  @Field(() => [Int], {
    nullable: true,
    description:
      "On an ASSIGNMENT announcement: the partitions taken away from this member since its previous announcement, as Kafka's onPartitionsRevoked; null on RECORDS",
  })
  get revoked(): number[] | null {
    return this.event.announcement?.revoked ?? null;
  }
  @Field(() => Int, {
    description:
      'How long this batch was held back because the reader is over its consumer byte rate quota, in ms; 0 when not throttled. Nothing is dropped for a quota',
  })
  get throttleTimeMs(): number {
    return this.event.throttleTimeMs ?? 0;
  }
}
