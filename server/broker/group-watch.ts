/**
 * The `groupLag` feed: a group's state, members, committed offsets and lag, first at once and then
 * whenever the coordinator reports a change (membership, assignment, state, commits) or the high
 * watermark of one of its topics moves — no polling. Pushes are spaced at least `intervalMs`
 * apart, so a topic taking 10,000 appends a second costs a watcher four pushes a second.
 */
import { GroupIdNotFoundError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { cancellable, type Cancellation } from './cancellable';
import { ChangeSignal } from './change-signal';
import type { ConsumerGroups } from './consumer-groups';
import type { ConsumerGroupView } from './types';

export const GROUP_WATCH_INTERVAL_MS = 250;

export function watchGroup(deps: BrokerDeps, groups: ConsumerGroups, groupId: string, intervalMs = GROUP_WATCH_INTERVAL_MS): AsyncIterableIterator<ConsumerGroupView> {
  if (!groups.describe(groupId)) throw new GroupIdNotFoundError(groupId);
  return cancellable((cancellation) => groupViews(deps, groups, groupId, intervalMs, cancellation));
}

async function* groupViews(
  deps: BrokerDeps,
  groups: ConsumerGroups,
  groupId: string,
  intervalMs: number,
  cancellation: Cancellation,
): AsyncGenerator<ConsumerGroupView> {
  const groupChanged = new ChangeSignal();
  const unlisten = groups.coordinator.onGroupChange(groupId, () => groupChanged.notify());
  try {
    let last = '';
    let lastSentMs = -Infinity;
    while (!cancellation.cancelled) {
      // Armed before the view is read: a change while the subscriber still holds the last view
      // (graphql-ws resumes the feed only once the socket write is done) must wake the next wait.
      const changed = groupChanged.next();
      const view = groups.describe(groupId);
      if (!view) return; // deleted
      const topicSignals = [...new Set(view.offsets.map((o) => o.topic))].flatMap((name) => {
        const topic = deps.registry.get(name);
        return topic && !topic.changed.closed ? [topic.changed.next()] : [];
      });
      const fingerprint = JSON.stringify(view, (key, value) => (key === 'heartbeatAgeMs' ? undefined : value));
      if (fingerprint !== last) {
        last = fingerprint;
        lastSentMs = deps.clock.monotonicMs();
        yield view;
      }
      await Promise.race([changed, ...topicSignals, cancellation.promise]).catch(() => undefined);
      const waitMs = lastSentMs + intervalMs - deps.clock.monotonicMs();
      if (waitMs > 0 && !cancellation.cancelled) await Promise.race([new Promise<void>((r) => deps.scheduler.after(waitMs, r)), cancellation.promise]);
    }
  } finally {
    unlisten();
  }
}
