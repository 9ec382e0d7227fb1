/**
 * Joining, heartbeating, leaving and acknowledging: the member lifecycle. Members are server-side
 * objects (one per live `records(group:)` subscription or pull consumer), so the assignment is
 * computed here (like Kafka's KIP-848 consumer protocol), pushed to the member's listeners, and
 * acknowledged by the gateway once it has acted on it.
 *
 * The gateway's side of the contract:
 * 1. `join` → the member's id, generation and assignment; start fetching `assigned` from each
 *    partition's committed offset (or the subscription's `from` when null), then `acknowledge`.
 * 2. `heartbeat` while the socket is alive / on every pull; a member silent for its
 *    sessionTimeoutMs is removed at the next `tick()` and its partitions go to the others.
 * 3. On an `assignment` event: stop fetching `revoked` (commit them if you wish: the commits are
 *    still accepted), start `added`, then `acknowledge(generationId)`. Partitions moving to
 *    another member are handed over only after this acknowledgement (or the member's departure,
 *    or rebalanceTimeoutMs).
 *    Name the `connectionId` from `join` in `heartbeat`, `acknowledge` and `leave`: a static
 *    member taken over by a new connection keeps its member id, and the old connection's calls
 *    must not act on the new one's member.
 * 4. `leave` when the socket closes. A static member (groupInstanceId) is only marked
 *    disconnected: it keeps its partitions, unfetched, until its session expires, and a new
 *    connection joining with the same groupInstanceId within that time gets the same member id
 *    and assignment back with no rebalance.
 * All operations are synchronous on in-memory state except where they commit offsets.
 */
import {
  BadUserInputError,
  GroupIdNotFoundError,
  IllegalGenerationError,
  InconsistentGroupProtocolError,
  LimitExceededError,
  PartitionNotAssignedError,
  UnknownMemberIdError,
  UnknownTopicOrPartitionError,
} from '../../errors';
import { isAssignorName, type AssignorName } from './assignors';
import { ConsumerGroup, type GroupStateName } from './consumer-group';
import type { CoordinatorCore } from './coordinator-core';
import type { AssignedPartition } from './group-events';
import { GroupMember } from './group-member';
import { flushDelivered } from './offset-commits';
import { tpKey, type TopicPartition } from './topic-partition';
import { validateGroupId, validateInstanceId, validateRebalanceTimeout, validateSessionTimeout } from './validation';

export interface JoinGroupRequest {
  readonly groupId: string;
  /** Topics this member consumes (1 to memberTopicsMax, each must exist). */
  readonly topics: readonly string[];
  /** Static membership: the same id on reconnect keeps the member id and assignment. */
  readonly groupInstanceId?: string | null;
  /** Default config.defaultSessionTimeoutMs; must be within [minSessionTimeoutMs, maxSessionTimeoutMs]. */
  readonly sessionTimeoutMs?: number;
  /** Default config.rebalanceTimeoutMs. */
  readonly rebalanceTimeoutMs?: number;
  /** 'range' | 'roundrobin' | 'cooperative-sticky'; default: the group's, or config.defaultAssignor. */
  readonly protocol?: string | null;
  readonly clientId?: string | null;
  readonly host?: string | null;
  /** Commit delivered offsets every autoCommitIntervalMs and before handing a revoked partition over. */
  readonly autoCommit?: boolean;
}

export interface MemberAssignment {
  readonly groupId: string;
  readonly memberId: string;
  /** The generation of this member's current assignment (what RecordBatch.generation carries). */
  readonly generationId: number;
  readonly groupGenerationId: number;
  readonly state: GroupStateName;
  /** Owned partitions with the committed offset to start from (null: use the subscription's `from`). */
  readonly assigned: readonly AssignedPartition[];
  readonly revoking: readonly TopicPartition[];
  readonly paused: readonly TopicPartition[];
  /** True while the member owes an acknowledgement of generationId. */
  readonly awaitingAck: boolean;
  /** The connection holding the member (see GroupMember.connectionId): name it in heartbeat, acknowledge and leave. */
  readonly connectionId: number;
}

export function findGroup(core: CoordinatorCore, groupId: string): ConsumerGroup {
  validateGroupId(groupId, core.config);
  const group = core.groups.get(groupId);
  if (!group) throw new GroupIdNotFoundError(groupId);
  return group;
}

export function findMember(core: CoordinatorCore, groupId: string, memberId: string): { group: ConsumerGroup; member: GroupMember } {
  const group = findGroup(core, groupId);
  const member = group.members.get(memberId);
  if (!member) throw new UnknownMemberIdError(groupId, memberId);
  return { group, member };
}

/** True unless `connectionId` names a connection that no longer holds the member (a replaced static member's). */
function heldBy(member: GroupMember, connectionId: number | undefined): boolean {
  return connectionId === undefined || member.connectionId === connectionId;
}

/** findMember for a call from one connection: a connection that was replaced is no longer the member. */
function findHeldMember(
  core: CoordinatorCore,
  groupId: string,
  memberId: string,
  connectionId: number | undefined,
): { group: ConsumerGroup; member: GroupMember } {
  const found = findMember(core, groupId, memberId);
  if (!heldBy(found.member, connectionId)) throw new UnknownMemberIdError(groupId, memberId);
  return found;
}

export function memberAssignment(core: CoordinatorCore, group: ConsumerGroup, member: GroupMember): MemberAssignment {
  return {
    groupId: group.groupId,
    memberId: member.memberId,
    generationId: member.generationId,
    groupGenerationId: group.generationId,
    state: group.state.name,
    assigned: member.ownedPartitions().map((tp) => ({ ...tp, committedOffset: core.offsets.committedOffset(group.groupId, tp) })),
    revoking: member.revokingPartitions(),
    paused: member.pausedPartitions(),
    awaitingAck: member.pendingAck !== null,
    connectionId: member.connectionId,
  };
}

function validateTopics(core: CoordinatorCore, topics: readonly string[]): string[] {
  if (!Array.isArray(topics) || topics.length === 0) throw new BadUserInputError('a member must subscribe to at least one topic');
  const unique = [...new Set(topics)];
  if (unique.length > core.config.memberTopicsMax) {
    throw new LimitExceededError(`a member may subscribe to at most ${core.config.memberTopicsMax} topics`, { topicCount: unique.length });
  }
  for (const topic of unique) if (core.log.partitionCount(topic) === null) throw new UnknownTopicOrPartitionError(topic);
  return unique.sort();
}

function resolveProtocol(
  core: CoordinatorCore,
  group: ConsumerGroup | undefined,
  protocol: string | null | undefined,
): AssignorName | null {
  if (protocol === undefined || protocol === null) return null;
  if (!isAssignorName(protocol)) throw new BadUserInputError(`unknown assignor ${protocol}; use range, roundrobin or cooperative-sticky`);
  if (group && group.members.size > 0 && group.protocol !== protocol) {
    throw new InconsistentGroupProtocolError(group.groupId, protocol, group.protocol ?? core.config.defaultAssignor);
  }
  return protocol;
}

function rebindStatic(core: CoordinatorCore, group: ConsumerGroup, member: GroupMember, request: JoinGroupRequest, topics: string[]): void {
  if (member.connected) core.fence(group.groupId, member.memberId, 'REPLACED');
  else core.memberListeners.take(group.groupId, member.memberId);
  member.connectionId++;
  member.connected = true;
  member.lastHeartbeatMonotonicMs = core.clock.monotonicMs();
  member.clientId = request.clientId ?? member.clientId;
  member.host = request.host ?? member.host;
  member.sessionTimeoutMs = request.sessionTimeoutMs ?? member.sessionTimeoutMs;
  member.autoCommit = request.autoCommit ?? member.autoCommit;
  // The new connection starts from committed offsets; what the old one delivered is not committed.
  member.delivered.clear();
  if (member.topics.join('\u0000') !== topics.join('\u0000')) {
    member.topics = topics;
    core.noteChange(group.groupId, 'membership');
    core.rebalance(group, 'membership');
  }
}

export function join(core: CoordinatorCore, request: JoinGroupRequest): MemberAssignment & { readonly rejoined: boolean } {
  const { config } = core;
  validateGroupId(request.groupId, config);
  const topics = validateTopics(core, request.topics);
  const sessionTimeoutMs = request.sessionTimeoutMs ?? config.defaultSessionTimeoutMs;
  validateSessionTimeout(sessionTimeoutMs, config);
  const rebalanceTimeoutMs = request.rebalanceTimeoutMs ?? config.rebalanceTimeoutMs;
  validateRebalanceTimeout(rebalanceTimeoutMs, config);
  const instanceId = request.groupInstanceId ?? null;
  if (instanceId !== null) validateInstanceId(instanceId, config);
  for (const [name, value] of [
    ['clientId', request.clientId],
    ['host', request.host],
  ] as const) {
    if (value !== undefined && value !== null && value.length > config.groupIdMaxLength) {
      throw new BadUserInputError(`${name} is longer than ${config.groupIdMaxLength} characters`);
    }
  }
  let group = core.groups.get(request.groupId);
  const protocol = resolveProtocol(core, group, request.protocol);

  const staticMemberId = instanceId === null ? undefined : group?.instanceIds.get(instanceId);
  if (group && staticMemberId !== undefined) {
    const member = group.members.get(staticMemberId)!;
    rebindStatic(core, group, member, { ...request, sessionTimeoutMs }, topics);
    core.finish();
    return { ...memberAssignment(core, group, member), rejoined: true };
  }
  if (group && group.members.size >= config.groupMembersMax) {
    throw new LimitExceededError(`group ${request.groupId} already has ${config.groupMembersMax} members`, {
      groupMembersMax: config.groupMembersMax,
    });
  }
  if (!group) {
    group = new ConsumerGroup(request.groupId, 0, null, core.clock.nowMs());
    core.groups.set(group.groupId, group);
  }
  if (group.members.size === 0) group.protocol = protocol ?? group.protocol ?? config.defaultAssignor;
  const member = new GroupMember({
    memberId: core.newMemberId(request.clientId ?? null),
    groupInstanceId: instanceId,
    clientId: request.clientId ?? null,
    host: request.host ?? null,
    topics,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    autoCommit: request.autoCommit ?? false,
    monotonicNowMs: core.clock.monotonicMs(),
  });
  group.addMember(member);
  core.noteChange(group.groupId, 'membership');
  const changes = core.rebalance(group, 'membership');
  if (!changes.has(member.memberId)) {
    // Got nothing (more members than partitions): it still acknowledges joining this generation.
    member.generationId = group.generationId;
    member.pendingAck = { generationId: group.generationId, deadlineMonotonicMs: core.clock.monotonicMs() + rebalanceTimeoutMs };
    core.refreshState(group);
  }
  core.finish();
  return { ...memberAssignment(core, group, member), rejoined: false };
}

export function heartbeat(core: CoordinatorCore, groupId: string, memberId: string, connectionId?: number): MemberAssignment {
  const { group, member } = findHeldMember(core, groupId, memberId, connectionId);
  member.lastHeartbeatMonotonicMs = core.clock.monotonicMs();
  return memberAssignment(core, group, member);
}

/**
 * The member has acted on its assignment up to `generationId`: revocations issued in that
 * generation or earlier are released (after committing what an auto-commit member delivered on
 * them), and the held partitions are handed to their new owners.
 */
export async function acknowledge(
  core: CoordinatorCore,
  groupId: string,
  memberId: string,
  generationId: number,
  connectionId?: number,
): Promise<void> {
  const { group, member } = findHeldMember(core, groupId, memberId, connectionId);
  if (!Number.isSafeInteger(generationId) || generationId < 0 || generationId > member.generationId) {
    throw new IllegalGenerationError(groupId, generationId, group.generationId);
  }
  const released = [...member.revoking].filter(([, r]) => r.revokedInGeneration <= generationId).map(([key]) => key);
  if (member.autoCommit && released.length > 0) await flushDelivered(core, group, member, released);
  if (group.members.get(memberId) !== member || !heldBy(member, connectionId)) return; // removed or replaced while committing
  for (const key of released) {
    member.revoking.delete(key);
    member.delivered.delete(key);
  }
  if (member.pendingAck && generationId >= member.pendingAck.generationId) member.pendingAck = null;
  if (released.length > 0) core.rebalance(group, 'handoff');
  else core.refreshState(group);
  core.finish();
}

/**
 * The member's connection ended. Dynamic members leave now; static members stay, disconnected,
 * until their session expires (their revocations are released at once: nothing fetches them).
 * Returns false when the member was already gone (expired, replaced): a no-op. With
 * `connectionId`, a connection that a static member's new connection took over leaves nothing:
 * the member id is the new connection's now.
 */
export async function leave(
  core: CoordinatorCore,
  groupId: string,
  memberId: string,
  options: { commitDelivered?: boolean; connectionId?: number } = {},
): Promise<boolean> {
  const group = core.groups.get(groupId);
  const member = group?.members.get(memberId);
  if (!group || !member || !heldBy(member, options.connectionId)) return false;
  if (options.commitDelivered && member.autoCommit) await flushDelivered(core, group, member);
  if (group.members.get(memberId) !== member || !heldBy(member, options.connectionId)) return false;
  if (member.groupInstanceId === null) {
    core.removeMembers(group, [{ memberId, reason: null }]);
  } else {
    core.memberListeners.take(groupId, memberId);
    member.connected = false;
    member.pendingAck = null;
    member.paused.clear();
    member.delivered.clear();
    const hadRevocations = member.revoking.size > 0;
    member.revoking.clear();
    core.noteChange(groupId, 'membership');
    if (hadRevocations) core.rebalance(group, 'handoff');
    else core.refreshState(group);
  }
  core.finish();
  return true;
}

function ownedKeys(group: ConsumerGroup, member: GroupMember, partitions: readonly TopicPartition[]): string[] {
  return partitions.map((tp) => {
    const key = tpKey(tp);
    if (!member.owned.has(key))
      throw new PartitionNotAssignedError(group.groupId, member.memberId, member.generationId, tp.topic, tp.partition);
    return key;
  });
}

/** Backpressure: stop (`paused: true`) or restart fetching some owned partitions of one member. */
export function setPaused(
  core: CoordinatorCore,
  groupId: string,
  memberId: string,
  partitions: readonly TopicPartition[],
  paused: boolean,
): TopicPartition[] {
  const { group, member } = findMember(core, groupId, memberId);
  for (const key of ownedKeys(group, member, partitions)) {
    if (paused) member.paused.add(key);
    else member.paused.delete(key);
  }
  const list = member.pausedPartitions();
  core.emitToMember(groupId, memberId, { type: 'paused', groupId, memberId, paused: list });
  core.finish();
  return list;
}

/** Auto-commit members: records that everything before `nextOffset` was delivered. False if not owned. */
export function recordDelivered(core: CoordinatorCore, groupId: string, memberId: string, tp: TopicPartition, nextOffset: number): boolean {
  const member = core.groups.get(groupId)?.members.get(memberId);
  const key = tpKey(tp);
  if (!member || member.assignedInGeneration(key) === undefined) return false;
  if (!Number.isSafeInteger(nextOffset) || nextOffset < 0)
    throw new RangeError(`nextOffset must be a safe non-negative integer: ${nextOffset}`);
  member.delivered.set(key, Math.max(nextOffset, member.delivered.get(key) ?? 0));
  return true;
}
