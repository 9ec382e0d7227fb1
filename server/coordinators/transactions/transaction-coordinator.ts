/**
 * The transaction coordinator of one node (Kafka's TransactionCoordinator): initProducer for a
 * transactional id, begin, the transactional produce's admission and partition registration,
 * commit and abort, recovery at start and the timeout abort. The state machine, what is written
 * when and why are in README.md beside this file; this file follows it step by step.
 *
 * It knows nothing of GraphQL nor of how many nodes there are: markers and offsets go through
 * the hooks in TransactionCoordinatorDeps (the broker wires them to the Partition layer and the
 * group coordinator). Single-threaded (the event loop); each transactional id's state changes run
 * one at a time (`exclusive`), produce calls run concurrently between begin and the end.
 */
import type { Clock, ControlRecordType, ScheduledTask, Scheduler } from '../../../storage/index';
import { ProducerFencedError } from '../../../storage/index';
import {
  MAX_PRODUCER_EPOCH,
  type Catalog,
  type TransactionOffsetRecord,
  type TransactionRecord,
  type TransactionTopicPartition,
} from '../../catalog/catalog';
import { InvalidProducerEpochError, InvalidTxnStateError } from '../../errors';
import { NO_FAILPOINT, type FailpointHook } from './failpoints';
import { validateOffsets, validateTimeout, validateTransactionalId } from './transaction-validation';

/** Kafka's transactional.id.expiration.ms default: 7 days. */
export const DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS = 604_800_000;
/** The expiry sweep runs every half expiration, at most hourly (Kafka's transaction.remove.expired.transaction.cleanup.interval.ms). */
const EXPIRY_SWEEP_MAX_INTERVAL_MS = 3_600_000;

export interface ProducerIdentity {
  producerId: number;
  epoch: number;
}

export interface TransactionCoordinatorDeps {
  catalog: Pick<
    Catalog,
    | 'initTransactionalProducer'
    | 'saveTransaction'
    | 'addTransactionPartitions'
    | 'listTransactions'
    | 'getProducer'
    | 'expireTransactionalId'
  >;
  clock: Clock;
  scheduler: Scheduler;
  /** Appends one marker to the partition (durable, HW past it); a partition that no longer exists is skipped. */
  writeMarker(tp: TransactionTopicPartition, type: ControlRecordType, producer: ProducerIdentity): Promise<void>;
  /** Commits group offsets without a generation check (the group coordinator's write path). */
  commitOffsets(group: string, offsets: readonly Omit<TransactionOffsetRecord, 'group'>[]): Promise<void>;
  /** The producer's epoch changed: the sequencer forgets what it cached of it. */
  producerEpochChanged(producerId: number): void;
  logger: {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
  failpoint?: FailpointHook;
  /** A transactional id with nothing open and no state change for this long is forgotten (README "Expiry"); default 7 days. */
  transactionalIdExpirationMs?: number;
}

interface Entry {
  record: TransactionRecord;
  /** The producer's current epoch (Producer row). */
  producerEpoch: number;
  /** Produce calls admitted and not finished. */
  inflight: number;
  readonly drained: Set<() => void>;
  /** Partitions registered in the catalog for the open transaction. */
  readonly registered: Set<string>;
  /** Set when an end (commit/abort) started: no new produce is admitted. */
  ending: boolean;
  timer: ScheduledTask | null;
  queue: Promise<unknown>;
}

const tpKey = (tp: TransactionTopicPartition) => `${tp.topic}\u0000${tp.partition}`;
const isPrepare = (state: string) => state === 'PREPARE_COMMIT' || state === 'PREPARE_ABORT';

export class TransactionCoordinator {
  private readonly byId = new Map<string, Entry>();
  private readonly byProducer = new Map<number, string>();
  /** initProducer calls of ids not known yet, chained per id. */
  private readonly firstInits = new Map<string, Promise<void>>();
  private readonly failpoint: FailpointHook;
  private closed = false;
  private expiryTask: ScheduledTask | null = null;

  constructor(private readonly deps: TransactionCoordinatorDeps) {
    this.failpoint = deps.failpoint ?? NO_FAILPOINT;
  }

  /** Node start, before serving: loads every transactional id, finishes PREPARE_*, aborts expired ONGOING, re-arms the others' timers. */
  async recover(): Promise<void> {
    for (const record of await this.deps.catalog.listTransactions()) {
      const producer = await this.deps.catalog.getProducer(record.producerId);
      const entry = this.entryFor(record, producer?.epoch ?? record.epoch);
      if (isPrepare(record.state)) await this.exclusive(entry, () => this.finish(entry));
      else if (record.state === 'ONGOING') this.armTimer(entry);
    }
  }

  /** initProducer(transactionalId): bumps the epoch (fencing older holders), aborts what the previous holder left open, then answers. */
  async initProducer(transactionalId: string, timeoutMs: number | null): Promise<ProducerIdentity> {
    validateTransactionalId(transactionalId);
    const timeout = validateTimeout(timeoutMs);
    const existing = this.byId.get(transactionalId);
    const run = async () => {
      const { producer, transaction } = await this.deps.catalog.initTransactionalProducer(
        transactionalId,
        timeout,
        this.deps.clock.nowMs(),
      );
      const entry = this.entryFor(transaction, producer.epoch);
      if (entry.record.producerId !== producer.producerId) this.byProducer.delete(entry.record.producerId);
      this.byProducer.set(producer.producerId, transactionalId);
      entry.producerEpoch = producer.epoch;
      this.deps.producerEpochChanged(producer.producerId);
      if (isPrepare(entry.record.state)) await this.finish(entry);
      else if (entry.record.state === 'ONGOING') await this.end(entry, 'ABORT', null, true);
      if (entry.record.producerId !== producer.producerId || entry.record.timeoutMs !== timeout || entry.record.state === 'ONGOING') {
        // Epoch exhausted (a new producer id) or a new timeout: the row follows the new holder.
        entry.record = {
          ...entry.record,
          producerId: producer.producerId,
          epoch: producer.epoch,
          timeoutMs: timeout,
          updatedAtMs: this.deps.clock.nowMs(),
        };
        await this.deps.catalog.saveTransaction(entry.record, null);
      } else if (entry.record.updatedAtMs < this.deps.clock.nowMs()) {
        // An init is activity: the id's silence (README "Expiry") starts again.
        entry.record = { ...entry.record, updatedAtMs: this.deps.clock.nowMs() };
        await this.deps.catalog.saveTransaction(entry.record, null);
      }
      return { producerId: producer.producerId, epoch: producer.epoch };
    };
    if (existing) return this.exclusive(existing, run);
    // A new id has no entry (and queue) yet: concurrent first inits still run one after the other
    // (RELIABILITY 49), so the later epoch is the one that sticks and fences the earlier.
    const result = (this.firstInits.get(transactionalId) ?? Promise.resolve()).then(() => {
      const entry = this.byId.get(transactionalId);
      return entry ? this.exclusive(entry, run) : run();
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.firstInits.set(transactionalId, settled);
    void settled.then(() => {
      if (this.firstInits.get(transactionalId) === settled) this.firstInits.delete(transactionalId);
    });
    return result;
  }

  /** The transactional id a producer id belongs to (null: an idempotent or unknown producer), for the ACL check of a call by producer id. */
  transactionalIdOf(producerId: number): string | null {
    return this.byProducer.get(producerId) ?? null;
  }

  /** Whether the producer id belongs to a transactional id (its produce calls need a transaction). */
  isTransactional(producerId: number): boolean {
    return this.byProducer.has(producerId);
  }

  async beginTransaction(producer: ProducerIdentity): Promise<boolean> {
    const entry = this.requireEntry(producer);
    return this.exclusive(entry, async () => {
      this.requireLive(entry);
      this.checkEpoch(entry, producer);
      const { record } = entry;
      if (record.state === 'ONGOING' || isPrepare(record.state))
        throw new InvalidTxnStateError(record.transactionalId, record.state, 'a transaction is already open (commit or abort it first)');
      if (record.epoch === entry.producerEpoch && record.state !== 'EMPTY' && entry.producerEpoch === MAX_PRODUCER_EPOCH) {
        throw new InvalidProducerEpochError(
          producer.producerId,
          producer.epoch,
          entry.producerEpoch,
          'the epoch is exhausted; call initProducer again (it hands out a new producer id)',
        );
      }
      const nowMs = this.deps.clock.nowMs();
      const next: TransactionRecord = {
        ...record,
        producerId: producer.producerId,
        epoch: producer.epoch,
        state: 'ONGOING',
        startedAtMs: nowMs,
        updatedAtMs: nowMs,
        partitions: [],
        offsets: [],
      };
      await this.deps.catalog.saveTransaction(next, null);
      entry.record = next;
      entry.registered.clear();
      entry.ending = false;
      this.armTimer(entry);
      return true;
    });
  }

  /**
   * Runs a transactional produce: admitted only inside the producer's open transaction with its
   * current epoch; `register` is called with the partitions before anything is appended.
   */
  async runProduce<T>(
    producer: ProducerIdentity,
    work: (register: (partitions: readonly TransactionTopicPartition[]) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const entry = this.requireEntry(producer);
    this.checkEpoch(entry, producer);
    const { record } = entry;
    if (record.state !== 'ONGOING' || entry.ending || record.epoch !== producer.epoch) {
      throw new InvalidTxnStateError(
        record.transactionalId,
        entry.ending ? 'ENDING' : record.state,
        'a transactional produce needs an open transaction (beginTransaction first)',
      );
    }
    entry.inflight += 1;
    try {
      return await work((partitions) => this.register(entry, partitions));
    } finally {
      entry.inflight -= 1;
      if (entry.inflight === 0) for (const wake of [...entry.drained]) wake();
    }
  }

  commitTransaction(producer: ProducerIdentity, offsets: readonly TransactionOffsetRecord[]): Promise<boolean> {
    return this.endByClient(producer, 'COMMIT', offsets);
  }

  abortTransaction(producer: ProducerIdentity): Promise<boolean> {
    return this.endByClient(producer, 'ABORT', null);
  }

  /** The admin abort of a hanging transaction (by its id, no epoch needed): aborts what is open; true if something was. */
  async abortById(transactionalId: string): Promise<boolean> {
    const entry = this.byId.get(transactionalId);
    if (!entry) throw new InvalidTxnStateError(transactionalId, 'NONE', 'no such transactional id');
    return this.exclusive(entry, async () => {
      this.requireLive(entry);
      if (isPrepare(entry.record.state)) {
        await this.finish(entry);
        return true;
      }
      if (entry.record.state !== 'ONGOING') return false;
      await this.end(entry, 'ABORT', null, true);
      return true;
    });
  }

  /** Every transactional id's transaction, as the catalog has it. */
  list(): TransactionRecord[] {
    return [...this.byId.values()].map((e) => e.record).sort((a, b) => a.transactionalId.localeCompare(b.transactionalId));
  }

  /** Stops the timeout timers and the expiry sweep (open transactions stay open: the next start re-arms them). */
  close(): void {
    this.closed = true;
    this.expiryTask?.cancel();
    for (const entry of this.byId.values()) entry.timer?.cancel();
  }

  /** Starts the expiry sweep (README "Expiry"), after recover(). */
  startExpiry(): void {
    if (this.closed || this.expiryTask) return;
    const intervalMs = Math.min(EXPIRY_SWEEP_MAX_INTERVAL_MS, Math.max(1, Math.floor(this.expirationMs / 2)));
    this.expiryTask = this.deps.scheduler.every(intervalMs, () =>
      this.expireSilent().then(
        () => undefined,
        (error: unknown) => this.deps.logger.error({ err: error }, 'expiring transactional ids failed; the next sweep retries'),
      ),
    );
  }

  /**
   * Forgets every transactional id with nothing open whose state last changed `transactionalIdExpirationMs`
   * ago or more: its catalog rows go, its producer id is retired with its epoch bumped (a late call
   * of it is PRODUCER_FENCED or INVALID_TXN_STATE), and initProducer of the id starts afresh with a
   * new producer id. Answers the ids forgotten.
   */
  async expireSilent(): Promise<string[]> {
    const expired: string[] = [];
    for (const entry of [...this.byId.values()]) {
      if (!this.isExpired(entry)) continue;
      const forgotten = await this.exclusive(entry, async () => {
        if (this.byId.get(entry.record.transactionalId) !== entry || !this.isExpired(entry)) return false;
        const { transactionalId, producerId, updatedAtMs } = entry.record;
        const fence = Math.min(entry.producerEpoch + 1, MAX_PRODUCER_EPOCH);
        if (!(await this.deps.catalog.expireTransactionalId(transactionalId, updatedAtMs, fence, this.deps.clock.nowMs()))) return false;
        this.byId.delete(transactionalId);
        if (this.byProducer.get(producerId) === transactionalId) this.byProducer.delete(producerId);
        entry.timer?.cancel();
        this.deps.producerEpochChanged(producerId);
        return true;
      });
      if (forgotten) {
        expired.push(entry.record.transactionalId);
        this.deps.logger.info(
          { transactionalId: entry.record.transactionalId, silentMs: this.deps.clock.nowMs() - entry.record.updatedAtMs },
          'transactional id expired: forgotten',
        );
      }
    }
    return expired;
  }

  private get expirationMs(): number {
    return this.deps.transactionalIdExpirationMs ?? DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS;
  }

  /** Nothing open (never ONGOING or PREPARE_*, no end or produce under way) and silent for the expiration. */
  private isExpired(entry: Entry): boolean {
    const { state, updatedAtMs } = entry.record;
    if (state === 'ONGOING' || isPrepare(state) || entry.ending || entry.inflight > 0) return false;
    return this.deps.clock.nowMs() - updatedAtMs >= this.expirationMs;
  }

  /** A call queued behind the expiry of its id: the id is no longer known. */
  private requireLive(entry: Entry): void {
    if (this.byId.get(entry.record.transactionalId) !== entry) {
      throw new InvalidTxnStateError(
        entry.record.transactionalId,
        'NONE',
        'the transactional id expired (transactional.id.expiration.ms); call initProducer again',
      );
    }
  }

  private async endByClient(
    producer: ProducerIdentity,
    type: ControlRecordType,
    offsets: readonly TransactionOffsetRecord[] | null,
  ): Promise<boolean> {
    const entry = this.requireEntry(producer);
    if (offsets) validateOffsets(offsets);
    return this.exclusive(entry, async () => {
      this.requireLive(entry);
      const { record } = entry;
      const wanted = type === 'COMMIT' ? 'COMMIT' : 'ABORT';
      // An exact retry of the call that ended (or is ending) this epoch's transaction: same answer, nothing more.
      if (producer.epoch === record.epoch && producer.epoch !== entry.producerEpoch && record.producerId === producer.producerId) {
        if (record.state === `PREPARE_${wanted}`) {
          await this.finish(entry);
          return true;
        }
        if (record.state === `COMPLETE_${wanted}`) return true;
        if (record.state !== 'ONGOING')
          throw new InvalidTxnStateError(
            record.transactionalId,
            record.state,
            `the transaction already ended the other way; it cannot ${type.toLowerCase()} now`,
          );
      }
      this.checkEpoch(entry, producer);
      if (record.state !== 'ONGOING' || record.epoch !== producer.epoch) {
        throw new InvalidTxnStateError(
          record.transactionalId,
          record.state,
          `no open transaction to ${type.toLowerCase()} (beginTransaction first)`,
        );
      }
      await this.end(entry, type, offsets, false);
      return true;
    });
  }

  /**
   * Ends the open transaction (README steps 1–4): waits for its produce calls, writes PREPARE_*
   * with the epoch bump and the pending offsets, then finishes.
   */
  private async end(
    entry: Entry,
    type: ControlRecordType,
    offsets: readonly TransactionOffsetRecord[] | null,
    byNode: boolean,
  ): Promise<void> {
    entry.ending = true;
    entry.timer?.cancel();
    entry.timer = null;
    await this.drain(entry);
    const nowMs = this.deps.clock.nowMs();
    // The bump fences the ending epoch; a bump done by initProducer already counts (its epoch is above the transaction's).
    const bumped = entry.producerEpoch > entry.record.epoch ? entry.producerEpoch : Math.min(entry.producerEpoch + 1, MAX_PRODUCER_EPOCH);
    // Ended by the node (timeout, a new holder, an operator): the row takes the fencing epoch, so the old holder's calls are
    // PRODUCER_FENCED; ended by its producer: the row keeps the transaction's epoch, so an exact retry is recognised.
    const prepared: TransactionRecord = {
      ...entry.record,
      epoch: byNode ? bumped : entry.record.epoch,
      state: type === 'COMMIT' ? 'PREPARE_COMMIT' : 'PREPARE_ABORT',
      updatedAtMs: nowMs,
      offsets: type === 'COMMIT' ? [...(offsets ?? [])] : [],
    };
    await this.deps.catalog.saveTransaction(prepared, bumped);
    entry.record = prepared;
    entry.producerEpoch = bumped;
    this.deps.producerEpochChanged(prepared.producerId);
    this.failpoint('txn.after-prepare');
    await this.finish(entry);
  }

  /** From PREPARE_*: every marker (again, if a crash came in between: README "Markers written twice"), the offsets, then COMPLETE_*. */
  private async finish(entry: Entry): Promise<void> {
    const { record } = entry;
    const type: ControlRecordType = record.state === 'PREPARE_COMMIT' ? 'COMMIT' : 'ABORT';
    const markerProducer = { producerId: record.producerId, epoch: entry.producerEpoch };
    let written = 0;
    for (const tp of record.partitions) {
      await this.deps.writeMarker(tp, type, markerProducer);
      if (++written === 1 && record.partitions.length > 1) this.failpoint('txn.after-first-marker');
    }
    if (type === 'COMMIT') {
      const byGroup = new Map<string, Omit<TransactionOffsetRecord, 'group'>[]>();
      for (const { group, ...offset } of record.offsets) byGroup.set(group, [...(byGroup.get(group) ?? []), offset]);
      for (const [group, offsets] of byGroup) await this.deps.commitOffsets(group, offsets);
    }
    this.failpoint('txn.before-complete');
    const completed: TransactionRecord = {
      ...record,
      state: type === 'COMMIT' ? 'COMPLETE_COMMIT' : 'COMPLETE_ABORT',
      updatedAtMs: this.deps.clock.nowMs(),
      partitions: [],
      offsets: [],
    };
    await this.deps.catalog.saveTransaction(completed, null);
    entry.record = completed;
    entry.registered.clear();
    entry.ending = false;
  }

  private async register(entry: Entry, partitions: readonly TransactionTopicPartition[]): Promise<void> {
    const fresh = partitions.filter((tp) => !entry.registered.has(tpKey(tp)));
    if (fresh.length === 0) return;
    await this.deps.catalog.addTransactionPartitions(entry.record.transactionalId, fresh);
    for (const tp of fresh) {
      if (entry.registered.has(tpKey(tp))) continue;
      entry.registered.add(tpKey(tp));
      entry.record.partitions.push({ topic: tp.topic, partition: tp.partition });
    }
  }

  private drain(entry: Entry): Promise<void> {
    if (entry.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        if (entry.inflight > 0) return;
        entry.drained.delete(wake);
        resolve();
      };
      entry.drained.add(wake);
    });
  }

  private armTimer(entry: Entry): void {
    entry.timer?.cancel();
    if (this.closed) return;
    const startedAtMs = entry.record.startedAtMs ?? this.deps.clock.nowMs();
    const leftMs = Math.max(0, startedAtMs + entry.record.timeoutMs - this.deps.clock.nowMs());
    const epoch = entry.record.epoch;
    entry.timer = this.deps.scheduler.after(leftMs, () => {
      entry.timer = null;
      void this.exclusive(entry, async () => {
        if (entry.record.state !== 'ONGOING' || entry.record.epoch !== epoch || entry.ending) return;
        this.deps.logger.warn(
          { transactionalId: entry.record.transactionalId, timeoutMs: entry.record.timeoutMs },
          'transaction timed out: aborting it',
        );
        await this.end(entry, 'ABORT', null, true);
      }).catch((error: unknown) =>
        this.deps.logger.error({ err: error, transactionalId: entry.record.transactionalId }, 'aborting a timed-out transaction failed'),
      );
    });
  }

  private entryFor(record: TransactionRecord, producerEpoch: number): Entry {
    let entry = this.byId.get(record.transactionalId);
    if (!entry) {
      entry = {
        record,
        producerEpoch,
        inflight: 0,
        drained: new Set(),
        registered: new Set(record.partitions.map(tpKey)),
        ending: false,
        timer: null,
        queue: Promise.resolve(),
      };
      this.byId.set(record.transactionalId, entry);
      this.byProducer.set(record.producerId, record.transactionalId);
    }
    return entry;
  }

  private requireEntry(producer: ProducerIdentity): Entry {
    const transactionalId = this.byProducer.get(producer.producerId);
    const entry = transactionalId === undefined ? undefined : this.byId.get(transactionalId);
    if (!entry)
      throw new InvalidTxnStateError(
        String(producer.producerId),
        'NONE',
        'not a transactional producer (initProducer(transactionalId:) makes one)',
      );
    return entry;
  }

  private checkEpoch(entry: Entry, producer: ProducerIdentity): void {
    if (producer.producerId !== entry.record.producerId || producer.epoch < entry.producerEpoch) {
      throw new ProducerFencedError(producer.producerId, producer.epoch, entry.producerEpoch);
    }
    if (producer.epoch > entry.producerEpoch) {
      throw new InvalidProducerEpochError(producer.producerId, producer.epoch, entry.producerEpoch, 'above the current epoch');
    }
  }

  private exclusive<T>(entry: Entry, section: () => Promise<T>): Promise<T> {
    const result = entry.queue.then(section);
    entry.queue = result.catch(() => undefined);
    return result;
  }
}
