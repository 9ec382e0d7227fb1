/**
 * One consumer-group member reading one topic: what a `records(group:)` subscription and a pull
 * consumer share. It joins the group, keeps a fetch cursor per owned partition (starting from the
 * group's committed offset, or the reader's `from` when none is committed), applies the
 * coordinator's assignment events — stop fetching revoked partitions, start added ones, then
 * acknowledge the generation so the coordinator can hand revoked partitions to their new owner —
 * and reads one batch at a time, round-robin over owned, unpaused partitions.
 *
 * At-least-once: a record counts as delivered only when the client asks for more (the transport
 * sent the previous batch) and, for a subscription, once the client proved it read it
 * (delivery-receipts.ts); auto-commit commits delivered offsets, never read-ahead ones.
 * Single-threaded: called from the event loop by its one owner.
 */
import { TopicDeletedError, UnknownMemberIdError, RebalanceInProgressError } from '../errors';
import { ChangeSignal, ChangeWait } from './change-signal';
import type { BrokerDeps } from './broker-deps';
import { DeliveryReceipts, type DeliveredOffset } from './delivery-receipts';
import type { ConsumerGroups } from './consumer-groups';
import { readRecords } from './fetch';
import { readLimit } from './read-limit';
import { resolveStart } from './record-stream';
import type { MemberEvent, TopicPartition } from '../coordinators/groups/index';
import type { TopicRuntime } from './topic-registry';
import type { GroupStreamOptions, Isolation, RecordBatchEvent, StartFrom } from './types';

export interface MemberStart {
  from: StartFrom;
  offset: number | null;
  timestampMs: number | null;
  /** Where LATEST is (the last stable offset for READ_COMMITTED); READ_UNCOMMITTED when absent. */
  isolation?: Isolation;
}

export class GroupMemberReader {
  private readonly cursors = new Map<number, number>();
  private readonly paused = new Set<number>();
  private readonly events: MemberEvent[] = [];
  private readonly changed = new ChangeSignal();
  /** Read and handed out, not yet known to be delivered: partition → next offset. */
  private readonly handedOut = new Map<number, number>();
  private nextIndex = 0;
  /** The assignment the client was last told about (announcement() reports the change since). */
  private announced: number[] = [];
  private failure: Error | null = null;
  private left = false;
  private readonly unlisten: () => void;
  /** Auto-commit subscriptions: delivered means proven received (delivery-receipts.ts). */
  private readonly receipts: DeliveryReceipts | null;
  generation: number;

  private constructor(
    private readonly deps: BrokerDeps,
    private readonly groups: ConsumerGroups,
    private readonly topic: TopicRuntime,
    readonly groupId: string,
    readonly memberId: string,
    /** Which connection of the member this reader is: a static member's later connection takes over. */
    readonly connectionId: number,
    private readonly options: GroupStreamOptions,
    private readonly start: MemberStart,
    generation: number,
    onFenced: () => void,
  ) {
    this.generation = generation;
    this.receipts =
      options.autoCommit && options.confirmReceipt
        ? new DeliveryReceipts(options.confirmReceipt, (delivered) => this.recordDelivered(delivered))
        : null;
    this.unlisten = groups.coordinator.onMemberEvent(groupId, memberId, (event) => {
      if (event.type === 'fenced') {
        // Out of the group now: nothing queued before is acted on, and nothing is said on the
        // member's behalf again (a static member's id may already belong to a new connection).
        this.failure ??=
          event.reason === 'COORDINATOR_CLOSED'
            ? new RebalanceInProgressError(this.groupId)
            : new UnknownMemberIdError(this.groupId, this.memberId);
        onFenced();
      } else {
        this.events.push(event);
      }
      this.changed.notify();
    });
  }

  static async join(
    deps: BrokerDeps,
    groups: ConsumerGroups,
    topicName: string,
    options: GroupStreamOptions,
    start: MemberStart,
    onFenced: (memberId: string) => void = () => undefined,
  ): Promise<GroupMemberReader> {
    const topic = deps.registry.require(topicName);
    const joined = groups.coordinator.join({
      groupId: options.group,
      topics: [topicName],
      groupInstanceId: options.groupInstanceId,
      sessionTimeoutMs: options.sessionTimeoutMs ?? undefined,
      protocol: options.assignor,
      clientId: options.clientId,
      host: options.host,
      autoCommit: options.autoCommit,
    });
    groups.noteIsolation(options.group, start.isolation ?? 'READ_UNCOMMITTED');
    const reader = new GroupMemberReader(
      deps,
      groups,
      topic,
      options.group,
      joined.memberId,
      joined.connectionId,
      options,
      start,
      joined.generationId,
      () => onFenced(joined.memberId),
    );
    reader.events.push({
      type: 'assignment',
      groupId: options.group,
      memberId: joined.memberId,
      generationId: joined.generationId,
      assigned: joined.assigned,
      added: joined.assigned,
      revoked: [],
    });
    return reader;
  }

  /** Owned partitions of this topic, ascending. */
  assignment(): number[] {
    return [...this.cursors.keys()].sort((a, b) => a - b);
  }

  /** Applies queued coordinator events; true when the assignment changed (announce it). Throws once fenced. */
  async sync(): Promise<boolean> {
    if (this.topic.changed.closed) throw new TopicDeletedError(this.topic.record.name);
    let changed = false;
    while (this.events.length > 0) {
      if (this.failure) throw this.failure;
      const event = this.events.shift()!;
      switch (event.type) {
        case 'assignment':
          for (const tp of this.mine(event.revoked)) this.cursors.delete(tp.partition);
          for (const tp of this.mine(event.added)) {
            const runtime = this.topic.partitions[tp.partition];
            if (!runtime) continue;
            this.cursors.set(tp.partition, tp.committedOffset ?? (await resolveStart(runtime, this.start)));
          }
          this.generation = event.generationId;
          await this.groups.coordinator.acknowledge(this.groupId, this.memberId, event.generationId, this.connectionId);
          changed = true;
          break;
        case 'paused':
          this.paused.clear();
          for (const tp of this.mine(event.paused)) this.paused.add(tp.partition);
          break;
      }
    }
    if (this.failure) throw this.failure;
    return changed;
  }

  /**
   * The client came back for more: what it was handed counts as delivered. Auto-commit members
   * report it to the coordinator (committed on its interval, and before a partition is handed
   * over). Returns the delivered positions of partitions the member still owns.
   */
  acknowledgeDelivery(): DeliveredOffset[] {
    const delivered: DeliveredOffset[] = [];
    const topic = this.topic.record.name;
    for (const [partition, nextOffset] of this.handedOut) {
      if (this.cursors.has(partition)) delivered.push({ topic, partition, offset: nextOffset });
    }
    this.handedOut.clear();
    if (this.receipts) this.receipts.sent(delivered);
    else this.recordDelivered(delivered);
    return delivered;
  }

  /** True when auto-commit counts only batches the client was proven to have read (a subscription with receipts). */
  get provesReceipt(): boolean {
    return this.receipts !== null;
  }

  /** Auto-commit: these count as delivered now (the coordinator ignores partitions no longer owned). */
  private recordDelivered(delivered: DeliveredOffset[]): void {
    if (!this.options.autoCommit || this.left || this.failure) return;
    for (const { topic, partition, offset } of delivered)
      this.groups.coordinator.recordDelivered(this.groupId, this.memberId, { topic, partition }, offset);
  }

  /** One batch from the next owned, unpaused partition with committed records, or null. */
  async read(recordsMax: number, isolation: Isolation): Promise<RecordBatchEvent | null> {
    if (this.failure) throw this.failure; // fenced since the last sync: its partitions are someone else's
    const owned = this.assignment().filter((p) => !this.paused.has(p));
    for (let tried = 0; tried < owned.length; tried++) {
      const partition = owned[(this.nextIndex + tried) % owned.length]!;
      const runtime = this.topic.partitions[partition]!;
      const fetchOffset = Math.max(this.cursors.get(partition)!, runtime.log.logStartOffset);
      if (fetchOffset >= readLimit(runtime.replica, isolation)) continue;
      const { records, nextOffset, bytes } = await readRecords(runtime, fetchOffset, recordsMax, this.deps.limits.fetchBytesMax, isolation);
      if (!this.cursors.has(partition)) continue; // revoked while reading
      this.cursors.set(partition, nextOffset);
      if (records.length === 0) continue;
      this.nextIndex = (this.nextIndex + tried + 1) % Math.max(1, owned.length);
      this.handedOut.set(partition, nextOffset);
      this.deps.metrics.recordsConsumed(this.topic.record.name, records.length, bytes, this.groupId);
      const lag = Math.max(0, readLimit(runtime.replica, isolation) - nextOffset);
      return { ...this.identity(), partition, records, highWatermark: runtime.replica.highWatermark, lag };
    }
    return null;
  }

  /**
   * An event with no records that tells the client its partitions after a rebalance: all of them
   * (`assignment`) and what changed since the previous announcement (`announcement`). partition
   * -1, highWatermark 0 and lag 0 are the sentinels older clients recognise announcements by.
   */
  announcement(): RecordBatchEvent {
    const assignment = this.assignment();
    const before = new Set(this.announced);
    const now = new Set(assignment);
    const change = { assigned: assignment.filter((p) => !before.has(p)), revoked: this.announced.filter((p) => !now.has(p)) };
    this.announced = assignment;
    return { ...this.identity(), partition: -1, records: [], highWatermark: 0, lag: 0, assignment, announcement: change };
  }

  /** Resolves when records may be readable, the assignment moved, or `signal` aborts. */
  waitForChange(signal: AbortSignal): Promise<void> {
    return new ChangeWait(signal).add(this.topic.changed).add(this.changed).promise;
  }

  /**
   * Ends the membership. `commitDelivered` (auto-commit members): commit what counts as delivered
   * first — right for a pull consumer, whose client came back for more, and for a subscription
   * that proves receipt (provesReceipt); wrong for one without, whose last batches may have been
   * written to the socket and never read by a client that went away.
   */
  async leave(commitDelivered = this.options.autoCommit): Promise<void> {
    if (this.left) return;
    this.left = true;
    this.receipts?.close();
    this.unlisten();
    this.changed.close(new UnknownMemberIdError(this.groupId, this.memberId));
    if (this.failure) return; // fenced: removed, or replaced by a new connection that holds the member id now
    await this.groups.coordinator
      .leave(this.groupId, this.memberId, { commitDelivered, connectionId: this.connectionId })
      .catch(() => false);
  }

  private identity() {
    return { topic: this.topic.record.name, memberId: this.memberId, generation: this.generation };
  }

  private mine<T extends TopicPartition>(partitions: readonly T[]): T[] {
    return partitions.filter((tp) => tp.topic === this.topic.record.name);
  }
}
