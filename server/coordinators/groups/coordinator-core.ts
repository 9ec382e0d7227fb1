/**
 * The coordinator's shared internals: the group map, the committed-offset cache, listeners, the
 * per-group write queue to the catalog, and the helpers that every operation ends with
 * (rebalance, emit, persist). membership.ts and offset-commits.ts are the operations;
 * group-coordinator.ts is the public facade.
 *
 * Concurrency contract: all in-memory state is mutated synchronously on the event loop, so an
 * operation sees a consistent group. Catalog writes for one group run one at a time, in call
 * order (an AsyncLock per group): offset commits are write-through (the cache changes after the
 * catalog transaction succeeded); group rows (state, generation) are write-behind and only
 * descriptive — after a restart every group comes back Empty with its committed offsets.
 */
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../../catalog/catalog';
import { AsyncLock, type Clock } from '../../../storage/index';
import { ConsumerGroup, type RebalanceReason } from './consumer-group';
import type { GroupCoordinatorConfig } from './group-config';
import {
  EventOutbox,
  MemberListeners,
  type FenceReason,
  type GroupChangeKind,
  type GroupChangeListener,
  type MemberEvent,
} from './group-events';
import type { GroupLogView } from './group-log-view';
import type { GroupMember } from './group-member';
import { OffsetCache } from './offset-cache';
import type { MemberChange } from './reconcile';
import { tpFromKey } from './topic-partition';

/** The part of the catalog the coordinator uses. */
export type GroupCatalog = Pick<
  Catalog,
  | 'commitOffsets'
  | 'fetchOffsets'
  | 'fetchOffsetsForGroups'
  | 'deleteOffsets'
  | 'upsertGroup'
  | 'getGroup'
  | 'listGroups'
  | 'deleteGroup'
  | 'setGroupTopics'
  | 'fetchGroupTopics'
>;

export interface GroupCoordinatorLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const SILENT_LOGGER: GroupCoordinatorLogger = { warn: () => undefined, error: () => undefined };

/** Protocol type stored in the catalog's group rows, as Kafka's "consumer". */
export const PROTOCOL_TYPE = 'consumer';

export class CoordinatorCore {
  readonly groups = new Map<string, ConsumerGroup>();
  readonly offsets = new OffsetCache();
  readonly memberListeners = new MemberListeners();
  readonly changeListeners = new Set<{ readonly groupId: string | null; readonly listener: GroupChangeListener }>();
  readonly outbox: EventOutbox;
  private readonly mutexes = new Map<string, AsyncLock>();
  /** Groups whose catalog row exists (committed offsets may reference it). */
  private readonly persisted = new Set<string>();
  private readonly pendingChanges = new Map<string, Set<GroupChangeKind>>();
  /** Per group, the topics its catalog rows hold (GroupTopic), so a row write skips unchanged ones. */
  private readonly persistedTopics = new Map<string, readonly string[]>();
  /** Groups with a row write queued and not started yet. */
  private readonly persistQueued = new WeakSet<ConsumerGroup>();
  closed = false;

  constructor(
    readonly catalog: GroupCatalog,
    readonly log: GroupLogView,
    readonly clock: Clock,
    readonly config: Readonly<GroupCoordinatorConfig>,
    readonly logger: GroupCoordinatorLogger,
  ) {
    this.outbox = new EventOutbox((error) => logger.error({ err: error }, 'a consumer-group listener threw'));
  }

  newMemberId(clientId: string | null): string {
    // Kafka's shape: "<client.id>-<uuid>"; the uuid makes ids unguessable and never reused.
    return `${clientId ?? 'member'}-${randomUUID()}`;
  }

  /** Runs catalog work for one group after the previous one finished. */
  exclusive<T>(groupId: string, section: () => Promise<T>): Promise<T> {
    let mutex = this.mutexes.get(groupId);
    if (!mutex) this.mutexes.set(groupId, (mutex = new AsyncLock()));
    return mutex.run(section);
  }

  markPersisted(groupId: string, topics: readonly string[]): void {
    this.persisted.add(groupId);
    this.persistedTopics.set(groupId, topics);
  }

  /** The group's rows were deleted (it stays in memory): the next row write writes them again. */
  markUnpersisted(groupId: string): void {
    this.persisted.delete(groupId);
    this.persistedTopics.delete(groupId);
  }

  /** The group row exists in the catalog (committed offsets can reference it). */
  async ensurePersisted(group: ConsumerGroup): Promise<void> {
    if (this.persisted.has(group.groupId)) return;
    await this.catalog.upsertGroup(this.groupRecord(group));
    this.persisted.add(group.groupId);
  }

  private groupRecord(group: ConsumerGroup) {
    return {
      groupId: group.groupId,
      state: group.state.name,
      generation: group.generationId,
      protocolType: PROTOCOL_TYPE,
      protocol: group.protocol,
      updatedAtMs: this.clock.nowMs(),
    };
  }

  /**
   * Write-behind of the group row; a failure is logged (the row is descriptive, offsets are not
   * affected). Coalesced: while one write is queued and not started, further calls add nothing,
   * because the queued write reads the group when it runs — a rebalance of 100 members makes a
   * handful of row writes instead of one per acknowledgement, and commits do not queue behind them.
   * The group's topics are written with it when they changed (a change always comes with a new
   * generation, so with a row write).
   */
  persistGroup(group: ConsumerGroup): void {
    if (this.closed || this.persistQueued.has(group)) return;
    this.persistQueued.add(group);
    void this.exclusive(group.groupId, async () => {
      this.persistQueued.delete(group);
      if (group.state.name === 'Dead') return;
      await this.catalog.upsertGroup(this.groupRecord(group));
      this.persisted.add(group.groupId);
      const topics = group.topics;
      if ((this.persistedTopics.get(group.groupId) ?? []).join('\u0000') === topics.join('\u0000')) return;
      await this.catalog.setGroupTopics(group.groupId, topics);
      this.persistedTopics.set(group.groupId, topics);
    }).catch((error: unknown) => this.logger.warn({ err: error, groupId: group.groupId }, 'could not persist consumer group row'));
  }

  forgetGroup(groupId: string): void {
    this.groups.delete(groupId);
    this.persisted.delete(groupId);
    this.persistedTopics.delete(groupId);
    this.offsets.delete(groupId);
  }

  /** A deleted topic leaves every group (its GroupTopic rows went with the topic's catalog row). */
  forgetTopic(topic: string): void {
    for (const group of this.groups.values()) group.forgetTopic(topic);
    for (const [groupId, topics] of this.persistedTopics)
      this.persistedTopics.set(
        groupId,
        topics.filter((t) => t !== topic),
      );
  }

  noteChange(groupId: string, kind: GroupChangeKind): void {
    const kinds = this.pendingChanges.get(groupId) ?? new Set<GroupChangeKind>();
    kinds.add(kind);
    this.pendingChanges.set(groupId, kinds);
  }

  /** Ends every public operation: one GroupChange per touched group, then deliver everything queued. */
  finish(): void {
    for (const [groupId, kinds] of this.pendingChanges) {
      const group = this.groups.get(groupId);
      const change = {
        groupId,
        kinds: [...kinds],
        generationId: group?.generationId ?? 0,
        state: group?.state.name ?? 'Dead',
        atMs: this.clock.nowMs(),
      } as const;
      const listeners = [...this.changeListeners].filter((entry) => entry.groupId === null || entry.groupId === groupId);
      for (const entry of listeners) this.outbox.push(() => entry.listener(change));
    }
    this.pendingChanges.clear();
    this.outbox.drain();
  }

  emitToMember(groupId: string, memberId: string, event: MemberEvent): void {
    for (const listener of this.memberListeners.snapshot(groupId, memberId)) this.outbox.push(() => listener(event));
  }

  /** Tells a member it is out (its listeners are dropped now, so a replacement never hears this). */
  fence(groupId: string, memberId: string, reason: FenceReason): void {
    const listeners = this.memberListeners.take(groupId, memberId);
    const event: MemberEvent = { type: 'fenced', groupId, memberId, reason };
    for (const listener of listeners) this.outbox.push(() => listener(event));
  }

  /** Recomputes the group's assignment, tells changed members, refreshes state, persists. */
  rebalance(group: ConsumerGroup, reason: RebalanceReason): Map<string, MemberChange> {
    const generationBefore = group.generationId;
    const topicsBefore = group.topics;
    const changes = group.rebalance((topic) => this.log.partitionCount(topic), this.clock.monotonicMs(), reason);
    for (const [memberId, change] of changes) this.emitAssignment(group, group.members.get(memberId)!, change);
    if (changes.size > 0) this.noteChange(group.groupId, 'assignment');
    const stateChanged = group.refreshState(this.clock.nowMs());
    if (stateChanged) this.noteChange(group.groupId, 'state');
    if (stateChanged || group.generationId !== generationBefore || group.topics !== topicsBefore) this.persistGroup(group);
    return changes;
  }

  refreshState(group: ConsumerGroup): void {
    if (group.refreshState(this.clock.nowMs())) {
      this.noteChange(group.groupId, 'state');
      this.persistGroup(group);
    }
  }

  private emitAssignment(group: ConsumerGroup, member: GroupMember, change: MemberChange): void {
    this.emitToMember(group.groupId, member.memberId, {
      type: 'assignment',
      groupId: group.groupId,
      memberId: member.memberId,
      generationId: group.generationId,
      assigned: member.ownedPartitions(),
      added: change.added.map(tpFromKey).map((tp) => ({ ...tp, committedOffset: this.offsets.committedOffset(group.groupId, tp) })),
      revoked: change.revoked.map(tpFromKey),
    });
  }

  /** Removes members (fencing each with its reason, or silently for null) and rebalances once. */
  removeMembers(group: ConsumerGroup, removals: readonly { memberId: string; reason: FenceReason | null }[]): void {
    let removed = false;
    for (const { memberId, reason } of removals) {
      if (!group.removeMember(memberId)) continue;
      removed = true;
      if (reason !== null) this.fence(group.groupId, memberId, reason);
      else this.memberListeners.take(group.groupId, memberId);
    }
    if (!removed) return;
    this.noteChange(group.groupId, 'membership');
    this.rebalance(group, 'membership');
  }
}
