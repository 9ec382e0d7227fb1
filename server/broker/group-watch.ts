/**
 * The `groupLag` feed: a group's state, members, committed offsets and lag, first at once and then
 * whenever the coordinator reports a change (membership, assignment, state, commits) or the high
 * watermark of one of its topics moves — no polling. Pushes are spaced at least `intervalMs`
 * apart, so a topic taking 10,000 appends a second costs a watcher four pushes a second.
 */
import { GroupIdNotFoundError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { cancellable } from './cancellable';
import { ChangeSignal, ChangeWait } from './change-signal';
import type { ConsumerGroups } from './consumer-groups';
import { throttledFeed } from './throttled-feed';
import type { ConsumerGroupView } from './types';

export const GROUP_WATCH_INTERVAL_MS = 250;

export function watchGroup(
  deps: BrokerDeps,
  groups: ConsumerGroups,
  groupId: string,
  intervalMs = GROUP_WATCH_INTERVAL_MS,
): AsyncIterableIterator<ConsumerGroupView> {
  if (!groups.describe(groupId)) throw new GroupIdNotFoundError(groupId);
  return cancellable((signal) => groupViews(deps, groups, groupId, intervalMs, signal));
}

async function* groupViews(
  deps: BrokerDeps,
  groups: ConsumerGroups,
  groupId: string,
  intervalMs: number,
  signal: AbortSignal,
): AsyncGenerator<ConsumerGroupView> {
  const groupChanged = new ChangeSignal();
  const unlisten = groups.coordinator.onGroupChange(groupId, () => groupChanged.notify());
  try {
    yield* throttledFeed(deps, signal, intervalMs, {
      snapshot: () => {
        // Armed before the view is read: a change while the subscriber still holds the last view
        // (graphql-ws resumes the feed only once the socket write is done) must wake the next wait.
        const wait = new ChangeWait(signal).add(groupChanged);
        const view = groups.describe(groupId);
        if (!view) return null; // deleted
        for (const name of new Set(view.offsets.map((o) => o.topic))) {
          const topic = deps.registry.get(name);
          if (topic && !topic.changed.closed) wait.add(topic.changed);
        }
        // A topic deleted under the group wakes the feed; it does not end it.
        return { state: view, changed: wait.promise.catch(() => undefined) };
      },
      fingerprint: (view) => JSON.stringify(view, (key, value) => (key === 'heartbeatAgeMs' ? undefined : value)),
    });
  } finally {
    unlisten();
  }
}
