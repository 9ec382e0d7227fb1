/**
 * The consumer-group coordinator: the public facade over membership (membership.ts), offsets
 * (offset-commits.ts), time (maintenance.ts) and lag (group-lag.ts). One per node; the broker
 * owns it, calls `tick()` from one shared interval, and wires `records(group:)` subscriptions,
 * pull consumers, commitOffsets/resetOffsets and the groupLag subscription to it.
 *
 * State lives in memory and in the catalog: committed offsets are written through (a commit
 * resolves after its catalog transaction), group rows behind. `open()` loads every group from the
 * catalog, Empty, with its committed offsets and last generation.
 *
 * Concurrency: call from the event loop only (no worker threads). Synchronous methods change
 * state atomically; async ones serialize their catalog writes per group.
 */
import type { CommittedOffsetRecord } from '../../catalog/catalog';
import { isAssignorName } from './assignors';
import { SystemClock, type Clock } from '../../../storage/index';
import { ConsumerGroup } from './consumer-group';
import { CoordinatorCore, SILENT_LOGGER, type GroupCatalog, type GroupCoordinatorLogger } from './coordinator-core';
import { describeGroup, type GroupDescription } from './group-description';
import { resolveGroupConfig, type GroupCoordinatorConfig } from './group-config';
import type { GroupChangeListener, MemberListener } from './group-events';
import type { GroupLogView } from './group-log-view';
import { groupLag, groupTimeLag, type GroupLag, type PartitionTimeLag } from './group-lag';
import { tick } from './maintenance';
import * as membership from './membership';
import * as offsetCommits from './offset-commits';
import type { TopicPartition } from './topic-partition';
import { validateGroupId, validateOffsetCommits, type OffsetCommit } from './validation';

export interface GroupCoordinatorOptions {
  readonly catalog: GroupCatalog;
  readonly log: GroupLogView;
  /**
   * Default: the system clock; tests pass a ManualClock (storage/io/clock.ts). Liveness (heartbeats,
   * session and rebalance timeouts, auto-commit) reads `monotonicMs()`, so a wall-clock jump cannot
   * expire every member at once; `nowMs()` stamps commit times and time lag. The coordinator owns
   * no timers: its owner drives time through `tick()`.
   */
  readonly clock?: Clock;
  readonly config?: Partial<GroupCoordinatorConfig>;
  readonly logger?: GroupCoordinatorLogger;
}

export class GroupCoordinator {
  private constructor(private readonly core: CoordinatorCore) {}

  /** Loads every group from the catalog (Empty, with committed offsets and the topics it consumes) and returns the coordinator. */
  static async open(options: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const clock = options.clock ?? new SystemClock();
    const core = new CoordinatorCore(
      options.catalog,
      options.log,
      clock,
      resolveGroupConfig(options.config),
      options.logger ?? SILENT_LOGGER,
    );
    const records = await options.catalog.listGroups();
    const offsets = await options.catalog.fetchOffsetsForGroups(records.map((r) => r.groupId));
    const topics = await options.catalog.fetchGroupTopics(records.map((r) => r.groupId));
    records.forEach((record, index) => {
      const protocol = record.protocol !== null && isAssignorName(record.protocol) ? record.protocol : null;
      // Empty since its row was last written, if it was Empty then: the empty-group retention goes on across restarts.
      const emptySinceMs = record.state === 'Empty' ? Math.min(record.updatedAtMs, clock.nowMs()) : clock.nowMs();
      const group = new ConsumerGroup(record.groupId, record.generation, protocol, emptySinceMs);
      group.topics = topics[index] ?? [];
      core.groups.set(group.groupId, group);
      core.markPersisted(group.groupId, group.topics);
      core.offsets.load(group.groupId, offsets[index] ?? []);
      if (record.state !== 'Empty') core.persistGroup(group); // it was live before the restart; it is Empty now
    });
    return new GroupCoordinator(core);
  }

  get config(): Readonly<GroupCoordinatorConfig> {
    return this.core.config;
  }

  // --- members ---------------------------------------------------------------------------

  /** Adds a member (or re-binds a static one) and returns its assignment; acknowledge it next. */
  join(request: membership.JoinGroupRequest): membership.MemberAssignment & { readonly rejoined: boolean } {
    return membership.join(this.core, request);
  }

  /**
   * Keeps the member's session alive; returns its current assignment. `connectionId` (from join):
   * UNKNOWN_MEMBER_ID once another connection took the static member over.
   */
  heartbeat(groupId: string, memberId: string, connectionId?: number): membership.MemberAssignment {
    return membership.heartbeat(this.core, groupId, memberId, connectionId);
  }

  /** The member acted on its assignment up to `generationId` (released revoked partitions, started added ones). */
  acknowledge(groupId: string, memberId: string, generationId: number, connectionId?: number): Promise<void> {
    return membership.acknowledge(this.core, groupId, memberId, generationId, connectionId);
  }

  /** The member's connection ended; false when it was already gone (or, with `connectionId`, taken over by another connection). */
  leave(groupId: string, memberId: string, options?: { commitDelivered?: boolean; connectionId?: number }): Promise<boolean> {
    return membership.leave(this.core, groupId, memberId, options);
  }

  memberAssignment(groupId: string, memberId: string): membership.MemberAssignment {
    const { group, member } = membership.findMember(this.core, groupId, memberId);
    return membership.memberAssignment(this.core, group, member);
  }

  pause(groupId: string, memberId: string, partitions: readonly TopicPartition[]): TopicPartition[] {
    return membership.setPaused(this.core, groupId, memberId, partitions, true);
  }

  resume(groupId: string, memberId: string, partitions: readonly TopicPartition[]): TopicPartition[] {
    return membership.setPaused(this.core, groupId, memberId, partitions, false);
  }

  /** Auto-commit members: everything before `nextOffset` of `tp` was delivered to the client. */
  recordDelivered(groupId: string, memberId: string, tp: TopicPartition, nextOffset: number): boolean {
    return membership.recordDelivered(this.core, groupId, memberId, tp, nextOffset);
  }

  /** Assignment changes, pauses and fencing of one member. Returns the unsubscribe function. */
  onMemberEvent(groupId: string, memberId: string, listener: MemberListener): () => void {
    return this.core.memberListeners.add(groupId, memberId, listener);
  }

  /** One event per change of membership, assignment, state or committed offsets; groupId null = every group. */
  onGroupChange(groupId: string | null, listener: GroupChangeListener): () => void {
    const entry = { groupId, listener };
    this.core.changeListeners.add(entry);
    return () => this.core.changeListeners.delete(entry);
  }

  // --- offsets ---------------------------------------------------------------------------

  commitOffsets(request: offsetCommits.CommitOffsetsRequest): Promise<CommittedOffsetRecord[]> {
    return offsetCommits.commitOffsets(this.core, request);
  }

  resetOffsets(
    groupId: string,
    topic: string,
    target: offsetCommits.ResetTarget,
    partitions?: readonly number[],
  ): Promise<CommittedOffsetRecord[]> {
    return offsetCommits.resetOffsets(this.core, groupId, topic, target, partitions);
  }

  /** A committing transaction's offsets: no generation check (offset-commits.ts commitTransactionalOffsets). */
  commitTransactionalOffsets(groupId: string, offsets: readonly OffsetCommit[]): Promise<CommittedOffsetRecord[]> {
    return offsetCommits.commitTransactionalOffsets(this.core, groupId, offsets);
  }

  /** A transaction's offsets committed for a member: fenced by its generation (offset-commits.ts fenceTransactionalOffsets). */
  fenceTransactionalOffsets(groupId: string, memberId: string, generationId: number, offsets: readonly OffsetCommit[]): void {
    offsetCommits.fenceTransactionalOffsets(this.core, groupId, memberId, generationId, offsets);
  }

  /** Validates offsets a transaction will commit (group id, partitions, metadata size) before they are prepared. */
  validateTransactionalOffsets(groupId: string, offsets: readonly OffsetCommit[]): void {
    validateGroupId(groupId, this.core.config);
    validateOffsetCommits(offsets, this.core.log, this.core.config);
  }

  /** Committed offsets from memory (identical to the catalog's rows). Unknown group → []. */
  committedOffsets(groupId: string, topic?: string): CommittedOffsetRecord[] {
    return this.core.offsets.list(groupId, topic);
  }

  lag(groupId: string): GroupLag {
    return groupLag(this.core, groupId);
  }

  timeLag(groupId: string): Promise<PartitionTimeLag[]> {
    return groupTimeLag(this.core, groupId);
  }

  // --- groups ----------------------------------------------------------------------------

  describe(groupId: string): GroupDescription {
    return describeGroup(membership.findGroup(this.core, groupId), this.core.clock.monotonicMs());
  }

  /** True when the coordinator knows the group (live, or Empty with committed offsets). */
  hasGroup(groupId: string): boolean {
    return this.core.groups.has(groupId);
  }

  listGroups(): GroupDescription[] {
    return [...this.core.groups.values()]
      .sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
      .map((group) => describeGroup(group, this.core.clock.monotonicMs()));
  }

  /** Deletes an Empty group and its committed offsets (NON_EMPTY_GROUP otherwise); the group becomes Dead. */
  async deleteGroup(groupId: string): Promise<void> {
    const group = membership.findGroup(this.core, groupId);
    offsetCommits.assertNoMembers(group);
    await this.core.exclusive(groupId, async () => {
      offsetCommits.assertNoMembers(group);
      await this.core.catalog.deleteOffsets(groupId);
      await this.core.catalog.deleteGroup(groupId);
      group.markDead(this.core.clock.nowMs());
      this.core.forgetGroup(groupId);
      this.core.noteChange(groupId, 'deleted');
      this.core.finish();
    });
  }

  /**
   * The broker deleted a topic (the catalog's deleteTopic dropped its committed offsets and the
   * groups' GroupTopic rows): forget them and rebalance the groups reading it (their members lose
   * its partitions). Call after the log view stopped reporting the topic.
   */
  topicDeleted(topic: string): void {
    for (const groupId of this.core.offsets.deleteTopic(topic)) this.core.noteChange(groupId, 'offsets');
    this.core.forgetTopic(topic);
    for (const group of this.core.groups.values()) {
      if ([...group.members.values()].some((m) => m.topics.includes(topic))) this.core.rebalance(group, 'topics');
    }
    this.core.finish();
  }

  // --- time and lifecycle ----------------------------------------------------------------

  /** Session expiry, rebalance timeouts, partition-count changes, auto-commit. Call every ~1 s. */
  tick(): Promise<void> {
    return this.core.closed ? Promise.resolve() : tick(this.core);
  }

  /** Waits for every queued catalog write (group rows) to finish. */
  async flush(): Promise<void> {
    await Promise.all([...this.core.groups.keys()].map((groupId) => this.core.exclusive(groupId, async () => undefined)));
  }

  /** Fences every member (COORDINATOR_CLOSED) and waits for pending writes. Does not close the catalog. */
  async close(): Promise<void> {
    if (this.core.closed) return;
    await this.flush();
    this.core.closed = true;
    for (const group of this.core.groups.values()) {
      for (const memberId of group.members.keys()) this.core.fence(group.groupId, memberId, 'COORDINATOR_CLOSED');
    }
    this.core.finish();
  }
}
