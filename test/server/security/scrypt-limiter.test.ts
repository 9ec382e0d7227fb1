/** The concurrency cap of API key verification (server/security/scrypt-limiter.ts): at most N run, the rest wait in order, past the queue THROTTLED. */
import { ConcurrencyLimiter } from '../../../server/security/scrypt-limiter';
import { ThrottledError } from '../../../server/errors';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  test('runs at most `concurrency` tasks at once and starts the waiting ones in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.running).toBe(2);
    expect(limiter.queued).toBe(2);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(limiter.running).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  test('refuses a task past the queue with a retriable THROTTLED, without running it', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const second = limiter.run(async () => 'second');
    let ran = false;
    const third = limiter.run(async () => {
      ran = true;
    });
    await expect(third).rejects.toBeInstanceOf(ThrottledError);
    await expect(third).rejects.toMatchObject({ code: 'THROTTLED', retriable: true });
    expect(ran).toBe(false);
    gate.resolve();
    await first;
    expect(await second).toBe('second');
  });

  test('a failing task frees its slot', async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(limiter.running).toBe(0);
    expect(await limiter.run(async () => 7)).toBe(7);
  });

  test('refuses nonsense limits', () => {
    expect(() => new ConcurrencyLimiter(0, 1)).toThrow(RangeError);
    expect(() => new ConcurrencyLimiter(1, -1)).toThrow(RangeError);
  });
});
