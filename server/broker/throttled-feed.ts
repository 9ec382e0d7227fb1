/**
 * The one throttled feed behind `partitionState` and `groupLag`: the current state at once, then
 * again whenever it changes — pushes spaced at least `intervalMs` apart, and a state equal to the
 * last one pushed is not pushed. Waits are on the broker's Scheduler and end when `signal` aborts.
 */
import type { Clock, Scheduler } from '../../storage/index';
import { sleep, untilSettledOrAborted } from './cancellable';

export interface FeedSnapshot<T> {
  readonly state: T;
  /**
   * Settles at the next change. Taken together with `state` (synchronously, so no change falls
   * between them). A rejection ends the feed with that error.
   */
  readonly changed: Promise<unknown>;
}

export interface FeedSource<T> {
  /** The current state with its change wake-up; null ends the feed. */
  snapshot(): FeedSnapshot<T> | null;
  /** Equal fingerprints are the same state to a watcher. */
  fingerprint(state: T): string;
}

export async function* throttledFeed<T>(
  time: { readonly clock: Clock; readonly scheduler: Scheduler },
  signal: AbortSignal,
  intervalMs: number,
  source: FeedSource<T>,
): AsyncGenerator<T> {
  let last: string | null = null;
  let lastSentMs = -Infinity;
  while (!signal.aborted) {
    const snapshot = source.snapshot();
    if (!snapshot) return;
    const fingerprint = source.fingerprint(snapshot.state);
    if (fingerprint !== last) {
      last = fingerprint;
      lastSentMs = time.clock.monotonicMs();
      yield snapshot.state;
    }
    await untilSettledOrAborted(snapshot.changed, signal);
    const waitMs = lastSentMs + intervalMs - time.clock.monotonicMs();
    if (waitMs > 0) await sleep(time.scheduler, waitMs, signal);
  }
}
