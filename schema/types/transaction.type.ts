import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { TransactionView } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

export enum TransactionState {
  EMPTY = 'EMPTY',
  ONGOING = 'ONGOING',
  PREPARE_COMMIT = 'PREPARE_COMMIT',
  PREPARE_ABORT = 'PREPARE_ABORT',
  COMPLETE_COMMIT = 'COMPLETE_COMMIT',
  COMPLETE_ABORT = 'COMPLETE_ABORT',
  DEAD = 'DEAD',
}

registerEnumType(TransactionState, {
  name: 'TransactionState',
  description: "A transactional id's transaction state (Kafka's TransactionState; server/coordinators/transactions/README.md)",
  valuesConfig: {
    EMPTY: { description: 'A producer and no transaction yet' },
    ONGOING: { description: 'Open: begun, not yet committed or aborted' },
    PREPARE_COMMIT: { description: 'The commit is decided (durable); its markers are being written' },
    PREPARE_ABORT: { description: 'The abort is decided (durable); its markers are being written' },
    COMPLETE_COMMIT: { description: 'The last transaction committed: every marker written, its offsets committed' },
    COMPLETE_ABORT: { description: 'The last transaction aborted: every marker written' },
    DEAD: { description: 'The transactional id expired (never reached today: ids do not expire yet)' },
  },
});

@ObjectType('TransactionPartition', { description: 'A partition a transaction wrote to (its marker goes there)' })
export class TransactionPartitionType {
  @Field(() => String, { description: 'The topic name' }) topic!: string;
  @Field(() => Int, { description: 'The partition number' }) partition!: number;
}

@ObjectType('Transaction', { description: "A transactional id's current or last transaction" })
export class TransactionType {
  constructor(private readonly view: TransactionView) {}

  @Field(() => String, { description: 'The transactional id' }) get transactionalId(): string {
    return this.view.transactionalId;
  }
  @Field(() => SafeIntScalar, { description: 'Its producer id' }) get producerId(): number {
    return this.view.producerId;
  }
  @Field(() => Int, { description: "The transaction's epoch (for one the node aborted: the epoch that fenced it)" }) get epoch(): number {
    return this.view.epoch;
  }
  @Field(() => TransactionState, { description: 'The state' }) get state(): TransactionState {
    return this.view.state as TransactionState;
  }
  @Field(() => [TransactionPartitionType], { description: 'The partitions it wrote to (empty once complete)' })
  get partitions(): TransactionPartitionType[] {
    return this.view.partitions;
  }
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it began (null before the first one)' }) get startedAt(): Date | null {
    return this.view.startedAtMs === null ? null : new Date(this.view.startedAtMs);
  }
  @Field(() => Int, { description: 'Its timeout: open longer than this, the node aborts it' }) get timeoutMs(): number {
    return this.view.timeoutMs;
  }
}
