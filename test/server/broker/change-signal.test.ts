/**
 * ChangeSignal and ChangeWait (server/broker/change-signal.ts): a wait on several signals wakes at
 * the first notify of any, rejects when one is or gets closed, ends when its AbortSignal aborts,
 * and leaves nothing behind on the signals that stayed quiet — 50,000 waits woken by a busy
 * signal (a topic's appends) beside a quiet one (a group's assignment) keep the heap where it was.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ChangeSignal, ChangeWait } from '../../../server/broker/change-signal';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function outcome(promise: Promise<unknown>): Promise<string> {
  let settled = 'pending';
  promise.then(
    () => (settled = 'resolved'),
    (error: Error) => (settled = `rejected: ${error.message}`),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('ChangeWait', () => {
  it('wakes at the first notify of any signal, rejects on close, ends on abort', async () => {
    const a = new ChangeSignal();
    const b = new ChangeSignal();
    const first = new ChangeWait().add(a).add(b);
    expect(await outcome(first.promise)).toBe('pending');
    b.notify();
    expect(await outcome(first.promise)).toBe('resolved');

    const closing = new ChangeWait().add(a).add(b);
    a.close(new Error('TOPIC_DELETED'));
    expect(await outcome(closing.promise)).toBe('rejected: TOPIC_DELETED');
    expect(await outcome(new ChangeWait().add(b).add(a).promise)).toBe('rejected: TOPIC_DELETED'); // already closed

    const controller = new AbortController();
    const aborted = new ChangeWait(controller.signal).add(b);
    expect(await outcome(aborted.promise)).toBe('pending');
    controller.abort();
    expect(await outcome(aborted.promise)).toBe('resolved');
    expect(await outcome(new ChangeWait(controller.signal).add(b).promise)).toBe('resolved');
    b.notify(); // the settled waits are gone from b: nothing runs twice
  });

  it('leaves nothing on a quiet signal across 50,000 waits woken by a busy one', async () => {
    const busy = new ChangeSignal();
    const quiet = new ChangeSignal();
    const controller = new AbortController();
    const round = async () => {
      for (let i = 0; i < 1_000; i++) {
        const wait = new ChangeWait(controller.signal).add(busy).add(quiet);
        busy.notify();
        await wait.promise;
      }
    };
    await round(); // warm-up
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let r = 0; r < 50; r++) await round();
    gc();
    const retainedPerWait = (process.memoryUsage().heapUsed - before) / 50_000;
    expect((quiet as unknown as { listeners: Set<unknown> | null }).listeners?.size ?? 0).toBe(0);
    expect(retainedPerWait).toBeLessThan(50);
  });
});
