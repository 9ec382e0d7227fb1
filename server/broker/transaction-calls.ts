/**
 * The transaction use cases for one caller (server/coordinators/transactions/README.md): init a
 * producer, begin, commit (with a group's offsets, fenced by member and generation when given),
 * abort, and the operator's listing and abort by id. Each checks the caller's ACLs first
 * (server/broker/access.ts). Reached as `broker.transactions` (bound to the request's identity).
 */
import type { TransactionOffsetRecord, TransactionStateName } from '../catalog/catalog';
import type { GroupCoordinator } from '../coordinators/groups/index';
import { BadUserInputError } from '../errors';
import type { BrokerAccess, Caller } from './access';
import type { BrokerDeps } from './broker-deps';
import { transactionViews, type TransactionView } from './transactions';

export class TransactionCalls {
  constructor(
    private readonly deps: BrokerDeps,
    private readonly access: BrokerAccess,
    private readonly identity: Caller,
    private readonly groups: () => GroupCoordinator,
  ) {}

  /**
   * initProducer(): without a transactionalId a new idempotent producer (a new producer id, epoch
   * 0); with one the transactional producer of that id, its epoch bumped and its open transaction
   * aborted (server/coordinators/transactions/README.md).
   */
  async initProducer(
    transactionalId: string | null = null,
    transactionTimeoutMs: number | null = null,
  ): Promise<{ producerId: number; epoch: number }> {
    if (transactionalId !== null) {
      this.access.transactionalId(this.identity, 'WRITE', transactionalId);
      return this.deps.transactions.initProducer(transactionalId, transactionTimeoutMs);
    }
    this.access.idempotentWrite(this.identity);
    if (transactionTimeoutMs !== null)
      throw new BadUserInputError('transactionTimeoutMs needs a transactionalId', { field: 'transactionTimeoutMs' });
    const record = await this.deps.catalog.createProducer(this.deps.clock.nowMs());
    return { producerId: record.producerId, epoch: record.epoch };
  }

  async beginTransaction(producer: { producerId: number; epoch: number }): Promise<boolean> {
    this.authorizeByProducer(producer.producerId);
    return this.deps.transactions.beginTransaction(producer);
  }

  /** A call by producer id needs WRITE on the transactional id that producer belongs to (docs/GRAPHQL-API.md "Security"). */
  authorizeByProducer(producerId: number): void {
    this.access.producerTransactionalId(this.identity, 'WRITE', producerId, this.deps.transactions.transactionalIdOf(producerId));
  }

  /**
   * Commits the open transaction, and `offsets` with it; afterwards the producer's epoch is epoch + 1.
   * With `memberId` and `generation`, the offsets (of its one group) are fenced by it (KIP-447): a zombie's
   * commit is ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID and the transaction stays open, abortable.
   */
  async commitTransaction(
    producer: { producerId: number; epoch: number },
    offsets: TransactionOffsetRecord[],
    memberId: string | null = null,
    generation: number | null = null,
  ): Promise<boolean> {
    this.authorizeByProducer(producer.producerId);
    if ((memberId === null) !== (generation === null))
      throw new BadUserInputError('memberId and generation must be given together (or both omitted)', {
        field: memberId === null ? 'memberId' : 'generation',
      });
    const byGroup = groupOffsets(offsets);
    if (memberId !== null && byGroup.size > 1)
      throw new BadUserInputError('memberId and generation name one member: the offsets must all be of its group', { field: 'offsets' });
    for (const [group, entries] of byGroup) {
      this.access.group(this.identity, 'READ', group);
      this.groups().validateTransactionalOffsets(group, entries);
      if (memberId !== null) this.groups().fenceTransactionalOffsets(group, memberId, generation!, entries);
    }
    return this.deps.transactions.commitTransaction(producer, offsets);
  }

  /** Aborts the open transaction; afterwards the producer's epoch is epoch + 1. */
  async abortTransaction(producer: { producerId: number; epoch: number }): Promise<boolean> {
    this.authorizeByProducer(producer.producerId);
    return this.deps.transactions.abortTransaction(producer);
  }

  /** An operator's abort of a hanging transaction, by its transactional id: true when one was open. */
  abortTransactionById(transactionalId: string): Promise<boolean> {
    return this.access.audited(this.identity, 'abortTransaction', `transactionalId:${transactionalId}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      return this.deps.transactions.abortById(transactionalId);
    });
  }

  /** Every transactional id's transaction, or those in `state`. */
  listTransactions(state: TransactionStateName | null = null): TransactionView[] {
    return transactionViews(this.deps.transactions, state).filter((t) =>
      this.access.mayTransactionalId(this.identity, 'DESCRIBE', t.transactionalId),
    );
  }

  /** How many transactions are open (ONGOING or PREPARE_*) and the oldest one's age on the node's clock (0 when none). */
  openTransactionStats(): { open: number; oldestAgeMs: number } {
    const nowMs = this.deps.clock.nowMs();
    const open = this.deps.transactions
      .list()
      .filter((t) => t.state === 'ONGOING' || t.state === 'PREPARE_COMMIT' || t.state === 'PREPARE_ABORT');
    const oldestAgeMs = open.reduce((age, t) => Math.max(age, t.startedAtMs === null ? 0 : nowMs - t.startedAtMs), 0);
    return { open: open.length, oldestAgeMs };
  }
}

function groupOffsets(offsets: readonly TransactionOffsetRecord[]): Map<string, TransactionOffsetRecord[]> {
  const byGroup = new Map<string, TransactionOffsetRecord[]>();
  for (const offset of offsets) byGroup.set(offset.group, [...(byGroup.get(offset.group) ?? []), offset]);
  return byGroup;
}
