/**
 * untilSettledOrAborted (server/broker/cancellable.ts), the wait every live feed makes between
 * wake-ups: it settles like the awaited promise, resolves when the signal aborts (also when it had
 * already), leaves no abort listener behind, and retains nothing per wait — 50,000 waits on a
 * signal that never aborts keep the heap where it was (racing one long-lived promise kept ~300 B
 * per wait until the signal aborted: a live subscription's slow leak).
 */
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { untilSettledOrAborted } from '../../../server/broker/cancellable';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const state = (promise: Promise<unknown>) => {
  let settled: string = 'pending';
  promise.then(
    () => (settled = 'resolved'),
    (error: Error) => (settled = `rejected: ${error.message}`),
  );
  return async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    return settled;
  };
};

describe('untilSettledOrAborted', () => {
  it('resolves with the promise, rejects with it, resolves on abort, at once when already aborted', async () => {
    const controller = new AbortController();
    expect(await state(untilSettledOrAborted(Promise.resolve(1), controller.signal))()).toBe('resolved');
    expect(await state(untilSettledOrAborted(Promise.reject(new Error('TOPIC_DELETED')), controller.signal))()).toBe(
      'rejected: TOPIC_DELETED',
    );
    const never = new Promise<void>(() => {});
    const waiting = state(untilSettledOrAborted(never, controller.signal));
    expect(await waiting()).toBe('pending');
    controller.abort();
    expect(await waiting()).toBe('resolved');
    expect(await state(untilSettledOrAborted(never, controller.signal))()).toBe('resolved');
    // Waited on after the abort and rejected later (the member left): no unhandled rejection.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let rejectLater!: (error: Error) => void;
      await untilSettledOrAborted(new Promise((_, reject) => (rejectLater = reject)), controller.signal);
      rejectLater(new Error('UNKNOWN_MEMBER_ID'));
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('leaves no listener and retains nothing per wait on a signal that never aborts', async () => {
    const controller = new AbortController();
    const waits = 50_000;
    const once = async () => {
      for (let i = 0; i < 1_000; i++) await untilSettledOrAborted(Promise.resolve(), controller.signal);
    };
    await once(); // warm-up: compiled code and caches are not what is measured
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let round = 0; round < waits / 1_000; round++) await once();
    gc();
    const retainedPerWait = (process.memoryUsage().heapUsed - before) / waits;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(retainedPerWait).toBeLessThan(50);
  });
});
