/**
 * Committing, resetting and auto-committing offsets. Every path validates the whole request,
 * then writes the catalog in one transaction, then updates the cache: a rejected request changes
 * nothing, an accepted one survives a restart.
 *
 * Fencing (RELIABILITY row 51, R22): a member commit names (memberId, generationId). It is
 * accepted only if the member is in the group, generationId ≤ the group's generation, and every
 * partition is owned by that member (or being revoked from it) since a generation ≤ generationId
 * — Kafka's KIP-1251 "assignment epochs", so a member one rebalance behind can still commit what
 * it kept, while a zombie (expired, replaced, or naming a partition it lost) gets
 * UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION. A commit with neither member nor generation is an admin
 * commit, allowed only while the group has no members (as Kafka).
 */
import type { CommittedOffsetRecord } from '../../catalog/catalog';
import {
  BadUserInputError,
  GroupIdNotFoundError,
  IllegalGenerationError,
  NonEmptyGroupError,
  PartitionNotAssignedError,
  UnknownMemberIdError,
  UnknownTopicOrPartitionError,
  UnreachableCaseError,
} from '../../errors';
import { ConsumerGroup } from './consumer-group';
import type { CoordinatorCore } from './coordinator-core';
import type { GroupMember } from './group-member';
import { tpFromKey, tpKey } from './topic-partition';
import { validateGroupId, validateOffsetCommits, validatePartitionNumber, type OffsetCommit } from './validation';
import { validateLookupTimestamp } from '../../lookup-timestamp';

export interface CommitOffsetsRequest {
  readonly groupId: string;
  readonly offsets: readonly OffsetCommit[];
  /** Both or neither: a member commit names both, an admin commit neither. */
  readonly memberId?: string | null;
  readonly generationId?: number | null;
}

export type ResetTarget =
  | { readonly to: 'EARLIEST' }
  | { readonly to: 'LATEST' }
  | { readonly to: 'OFFSET'; readonly offset: number }
  | { readonly to: 'TIMESTAMP'; readonly timestampMs: number };

function checkMemberOwnership(group: ConsumerGroup, member: GroupMember, generationId: number, offsets: readonly OffsetCommit[]): void {
  if (!Number.isSafeInteger(generationId) || generationId < 0 || generationId > group.generationId) {
    throw new IllegalGenerationError(group.groupId, generationId, group.generationId);
  }
  for (const entry of offsets) {
    const assignedIn = member.assignedInGeneration(tpKey(entry));
    if (assignedIn === undefined) {
      throw new PartitionNotAssignedError(group.groupId, member.memberId, generationId, entry.topic, entry.partition);
    }
    if (generationId < assignedIn) throw new IllegalGenerationError(group.groupId, generationId, group.generationId);
  }
}

/** Synchronous authorization against the group as it is now (called inside the group's queue). */
function authorize(core: CoordinatorCore, request: CommitOffsetsRequest): ConsumerGroup | null {
  const memberId = request.memberId ?? null;
  const generationId = request.generationId ?? null;
  const group = core.groups.get(request.groupId) ?? null;
  if ((memberId === null) !== (generationId === null)) {
    throw new BadUserInputError('memberId and generation must be given together (or both omitted for an admin commit)');
  }
  if (memberId === null) {
    if (group && group.members.size > 0) throw new UnknownMemberIdError(request.groupId, null);
    return group;
  }
  if (!group) throw new GroupIdNotFoundError(request.groupId);
  const member = group.members.get(memberId);
  if (!member) throw new UnknownMemberIdError(request.groupId, memberId);
  checkMemberOwnership(group, member, generationId!, request.offsets);
  return group;
}

/** Writes validated offsets: catalog first, then cache, then the change feed. */
async function write(core: CoordinatorCore, group: ConsumerGroup, offsets: readonly OffsetCommit[]): Promise<CommittedOffsetRecord[]> {
  const commitTimeMs = core.clock.nowMs();
  const records: CommittedOffsetRecord[] = offsets.map((entry) => ({
    group: group.groupId,
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
    metadata: entry.metadata ?? null,
    commitTimeMs,
  }));
  if (records.length === 0) return [];
  await core.ensurePersisted(group);
  await core.catalog.commitOffsets(
    group.groupId,
    records.map(({ group: _group, ...rest }) => rest),
  );
  core.offsets.put(records);
  for (const member of group.members.values()) {
    for (const record of records) {
      const key = tpKey(record);
      if ((member.delivered.get(key) ?? Infinity) <= record.offset) member.delivered.delete(key);
    }
  }
  core.noteChange(group.groupId, 'offsets');
  core.finish();
  return records;
}

/**
 * Writes an admin commit/reset. A group never seen before is created (as Kafka does), and
 * forgotten again if the write fails, so a rejected commit leaves no trace.
 */
async function writeAsAdmin(
  core: CoordinatorCore,
  groupId: string,
  existing: ConsumerGroup | null,
  offsets: readonly OffsetCommit[],
): Promise<CommittedOffsetRecord[]> {
  if (existing) return write(core, existing, offsets);
  if (offsets.length === 0) return [];
  const group = new ConsumerGroup(groupId, 0, null, core.clock.nowMs());
  core.groups.set(groupId, group);
  try {
    return await write(core, group, offsets);
  } catch (error) {
    if (core.groups.get(groupId) === group && group.members.size === 0 && core.offsets.list(groupId).length === 0)
      core.forgetGroup(groupId);
    throw error;
  }
}

export function commitOffsets(core: CoordinatorCore, request: CommitOffsetsRequest): Promise<CommittedOffsetRecord[]> {
  validateGroupId(request.groupId, core.config);
  validateOffsetCommits(request.offsets, core.log, core.config);
  return core.exclusive(request.groupId, async () => {
    // Re-checked inside the queue: the group may have changed while earlier writes ran.
    const existing = authorize(core, request);
    return existing && existing.members.size > 0
      ? write(core, existing, request.offsets)
      : writeAsAdmin(core, request.groupId, existing, request.offsets);
  });
}

/**
 * A transaction's offsets at its commit (server/coordinators/transactions/README.md step 3):
 * written like an admin commit but whatever members the group has (Kafka's TxnOffsetCommit
 * without a generation; TxnOffsetInput names no member), validated already when the transaction
 * prepared. The same offsets written twice (recovery) leave the same result.
 */
export function commitTransactionalOffsets(
  core: CoordinatorCore,
  groupId: string,
  offsets: readonly OffsetCommit[],
): Promise<CommittedOffsetRecord[]> {
  return core.exclusive(groupId, async () => writeAsAdmin(core, groupId, core.groups.get(groupId) ?? null, offsets));
}

/**
 * RELIABILITY row 50 (Kafka's KIP-447): offsets a transaction carries for a member (commitTransaction
 * with memberId and generation) are fenced like that member's own commit, so a zombie's transaction
 * cannot commit offsets of partitions it lost: UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION, nothing
 * prepared. Checked when the commit is asked for, as Kafka checks TxnOffsetCommit when it arrives;
 * the offsets are then written at the marker step without a second check.
 */
export function fenceTransactionalOffsets(
  core: CoordinatorCore,
  groupId: string,
  memberId: string,
  generationId: number,
  offsets: readonly OffsetCommit[],
): void {
  authorize(core, { groupId, offsets, memberId, generationId });
}

async function resetOffsetFor(core: CoordinatorCore, topic: string, partition: number, target: ResetTarget): Promise<number> {
  const watermarks = core.log.watermarks(topic, partition);
  if (watermarks === null) throw new UnknownTopicOrPartitionError(topic, partition);
  switch (target.to) {
    case 'EARLIEST':
      return watermarks.logStartOffset;
    case 'LATEST':
      return watermarks.highWatermark;
    case 'OFFSET':
      return target.offset;
    case 'TIMESTAMP':
      return (await core.log.offsetForTimestamp(topic, partition, target.timestampMs)) ?? watermarks.highWatermark;
    default:
      throw new UnreachableCaseError(target);
  }
}

/**
 * Moves the group's committed offsets of `topic` (all partitions, or the ones named). Only for a
 * group without members (NON_EMPTY_GROUP otherwise, as Kafka's kafka-consumer-groups --reset-offsets).
 * An OFFSET outside [logStartOffset, highWatermark] is rejected (OFFSET_OUT_OF_RANGE), not clamped.
 */
export async function resetOffsets(
  core: CoordinatorCore,
  groupId: string,
  topic: string,
  target: ResetTarget,
  partitions?: readonly number[],
): Promise<CommittedOffsetRecord[]> {
  validateGroupId(groupId, core.config);
  const partitionCount = core.log.partitionCount(topic);
  if (partitionCount === null) throw new UnknownTopicOrPartitionError(topic);
  const chosen = partitions ?? Array.from({ length: partitionCount }, (_, p) => p);
  for (const partition of chosen) validatePartitionNumber(topic, partition, core.log);
  if (target.to === 'OFFSET' && (!Number.isSafeInteger(target.offset) || target.offset < 0)) {
    throw new BadUserInputError(`offset must be a non-negative integer, got ${target.offset}`);
  }
  if (target.to === 'TIMESTAMP') validateLookupTimestamp(target.timestampMs);
  const group = core.groups.get(groupId);
  if (group && group.members.size > 0) throw new NonEmptyGroupError(groupId);
  const offsets: OffsetCommit[] = [];
  for (const partition of chosen)
    offsets.push({ topic, partition, offset: await resetOffsetFor(core, topic, partition, target), metadata: null });
  validateOffsetCommits(offsets, core.log, core.config);
  return core.exclusive(groupId, async () => {
    const current = core.groups.get(groupId) ?? null;
    if (current && current.members.size > 0) throw new NonEmptyGroupError(groupId);
    return writeAsAdmin(core, groupId, current, offsets);
  });
}

/**
 * Commits what an auto-commit member was delivered (all partitions, or only `keys`). Fenced like
 * a member commit but by current ownership alone: the coordinator itself tracks the generation.
 * Offsets that became invalid (topic deleted, watermark moved back) are dropped, not committed.
 */
export async function flushDelivered(
  core: CoordinatorCore,
  group: ConsumerGroup,
  member: GroupMember,
  keys?: readonly string[],
): Promise<void> {
  const offsets: OffsetCommit[] = [];
  for (const [key, offset] of member.delivered) {
    if (keys && !keys.includes(key)) continue;
    const tp = tpFromKey(key);
    const watermarks = core.log.watermarks(tp.topic, tp.partition);
    const committed = core.offsets.committedOffset(group.groupId, tp);
    if (watermarks === null || offset > watermarks.highWatermark || committed === offset) continue;
    offsets.push({ ...tp, offset, metadata: null });
  }
  member.lastAutoCommitMonotonicMs = core.clock.monotonicMs();
  if (offsets.length === 0) return;
  await core.exclusive(group.groupId, async () => {
    if (group.members.get(member.memberId) !== member) return; // left or expired meanwhile: a zombie commits nothing
    const owned = offsets.filter((entry) => member.assignedInGeneration(tpKey(entry)) !== undefined);
    await write(core, group, owned);
  });
}

export function assertNoMembers(group: ConsumerGroup): void {
  if (group.members.size > 0) throw new NonEmptyGroupError(group.groupId);
}
