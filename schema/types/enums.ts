/** The contract's enums, registered with type-graphql under their SDL names. */
import { registerEnumType } from 'type-graphql';

export enum StartFrom {
  EARLIEST = 'EARLIEST',
  LATEST = 'LATEST',
  OFFSET = 'OFFSET',
  TIMESTAMP = 'TIMESTAMP',
}
export enum Isolation {
  READ_UNCOMMITTED = 'READ_UNCOMMITTED',
  READ_COMMITTED = 'READ_COMMITTED',
}
export enum Acks {
  NONE = 'NONE',
  LEADER = 'LEADER',
  ALL = 'ALL',
}

registerEnumType(StartFrom, {
  name: 'StartFrom',
  description: 'Where a subscription starts reading',
  valuesConfig: {
    EARLIEST: { description: "At the partition's log start offset: everything still retained (Kafka's auto.offset.reset=earliest)" },
    LATEST: { description: "At the high watermark: only records produced from now on (Kafka's auto.offset.reset=latest)" },
    OFFSET: { description: 'At the `offset` argument (OFFSET_OUT_OF_RANGE outside the log)' },
    TIMESTAMP: { description: "At the first record whose timestamp is at or after the `timestamp` argument (Kafka's offsetsForTimes)" },
  },
});
registerEnumType(Isolation, {
  name: 'Isolation',
  description: "READ_COMMITTED stops at the last stable offset (Kafka's isolation.level)",
  valuesConfig: {
    READ_UNCOMMITTED: { description: 'Read up to the high watermark (the default)' },
    READ_COMMITTED: { description: 'Read up to the last stable offset, leaving out records of open or aborted transactions' },
  },
});
registerEnumType(Acks, {
  name: 'Acks',
  description: "When a produce is acknowledged (Kafka's acks)",
  valuesConfig: {
    NONE: { description: 'Answer once the call is validated, before it is written; offsets are -1 (Kafka acks=0)' },
    LEADER: { description: 'Answer once the leader appended the batch (fsynced with the default flush.messages=1) (Kafka acks=1)' },
    ALL: { description: 'Answer once every in-sync replica has the batch and the high watermark covers it (Kafka acks=all; the default)' },
  },
});
