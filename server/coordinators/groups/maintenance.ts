/**
 * `tick()`: everything that happens because time passed, run by the owner from one shared
 * interval (tests call it after advancing a ManualClock; the coordinator has no timers):
 * - members silent for longer than their session timeout are removed (SESSION_TIMEOUT) and their
 *   partitions go to the survivors, starting from the committed offsets;
 * - members that owe an acknowledgement past their rebalance timeout are removed (REBALANCE_TIMEOUT),
 *   which also releases partitions they were slow to give up;
 * - groups whose topics changed partition count (or were deleted) are rebalanced;
 * - auto-commit members get their delivered offsets committed every autoCommitIntervalMs;
 * - a group Empty for emptyGroupRetentionMs with no committed offsets is forgotten (catalog rows
 *   too), as Kafka removes an empty group once it has no offsets left.
 * A tick interval of 1 s is plenty: session timeouts are ≥ 6 s by default, so a dead member's
 * partitions move within sessionTimeoutMs + 1 s.
 */
import { sameCounts, type ConsumerGroup } from './consumer-group';
import type { CoordinatorCore } from './coordinator-core';
import type { FenceReason } from './group-events';
import { flushDelivered } from './offset-commits';

function expire(core: CoordinatorCore, group: ConsumerGroup, monotonicNowMs: number): void {
  const removals: { memberId: string; reason: FenceReason }[] = [];
  for (const member of group.members.values()) {
    if (member.sessionExpired(monotonicNowMs)) removals.push({ memberId: member.memberId, reason: 'SESSION_TIMEOUT' });
    else if (member.pendingAck && monotonicNowMs > member.pendingAck.deadlineMonotonicMs)
      removals.push({ memberId: member.memberId, reason: 'REBALANCE_TIMEOUT' });
  }
  core.removeMembers(group, removals);
}

function idle(core: CoordinatorCore, group: ConsumerGroup, nowMs: number): boolean {
  return (
    group.members.size === 0 &&
    group.state.name === 'Empty' &&
    nowMs - group.state.sinceMs >= core.config.emptyGroupRetentionMs &&
    core.offsets.list(group.groupId).length === 0
  );
}

/**
 * Deletes an idle group's rows inside the group's write queue, so no commit interleaves; a member
 * that joined meanwhile (joins do not queue) keeps the group, whose rows are then written again.
 */
function forgetIdle(core: CoordinatorCore, group: ConsumerGroup): Promise<void> {
  const { groupId } = group;
  return core.exclusive(groupId, async () => {
    if (core.groups.get(groupId) !== group || !idle(core, group, core.clock.nowMs())) return;
    await core.catalog.deleteGroup(groupId);
    if (!idle(core, group, core.clock.nowMs())) {
      core.markUnpersisted(groupId);
      core.persistGroup(group);
      return;
    }
    group.markDead(core.clock.nowMs());
    core.forgetGroup(groupId);
    core.noteChange(groupId, 'deleted');
    core.finish();
  });
}

export async function tick(core: CoordinatorCore): Promise<void> {
  const monotonicNowMs = core.clock.monotonicMs();
  const commits: Promise<void>[] = [];
  for (const group of [...core.groups.values()]) {
    expire(core, group, monotonicNowMs);
    if (idle(core, group, core.clock.nowMs())) {
      commits.push(
        forgetIdle(core, group).catch((error: unknown) =>
          core.logger.warn({ err: error, groupId: group.groupId }, 'could not forget an idle group; will retry'),
        ),
      );
      continue;
    }
    if (group.members.size > 0) {
      const counts = group.currentPartitionCounts((topic) => core.log.partitionCount(topic));
      if (!sameCounts(counts, group.partitionCounts)) core.rebalance(group, 'topics');
    }
    for (const member of group.members.values()) {
      if (!member.autoCommit || member.delivered.size === 0) continue;
      if (monotonicNowMs - member.lastAutoCommitMonotonicMs < core.config.autoCommitIntervalMs) continue;
      commits.push(
        flushDelivered(core, group, member).catch((error: unknown) =>
          core.logger.warn({ err: error, groupId: group.groupId, memberId: member.memberId }, 'auto-commit failed; will retry'),
        ),
      );
    }
  }
  core.finish();
  await Promise.all(commits);
}
