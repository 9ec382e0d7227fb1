import { ManualClock, ManualScheduler, SystemClock, SystemScheduler } from '../../../storage';

describe('ManualClock', () => {
  it('moves wall and monotonic time only when advanced', () => {
    const clock = new ManualClock(1_000);
    expect([clock.nowMs(), clock.monotonicMs()]).toEqual([1_000, 0]);
    clock.advance(250);
    expect([clock.nowMs(), clock.monotonicMs()]).toEqual([1_250, 250]);
  });

  it('lets the wall clock jump backwards without moving monotonic time', () => {
    const clock = new ManualClock(10_000);
    clock.advance(5);
    clock.set(0);
    expect([clock.nowMs(), clock.monotonicMs()]).toEqual([0, 5]);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('SystemClock', () => {
  it('reports wall time near Date.now and a non-decreasing monotonic time', () => {
    const clock = new SystemClock();
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(1_000);
    const a = clock.monotonicMs();
    expect(clock.monotonicMs()).toBeGreaterThanOrEqual(a);
  });
});

describe('SystemScheduler.after', () => {
  it('runs a one-shot once, and never one that was cancelled', async () => {
    const scheduler = new SystemScheduler();
    const runs: string[] = [];
    scheduler.after(1, () => runs.push('kept'));
    scheduler.after(1, () => runs.push('cancelled')).cancel();
    await new Promise((resolve) => scheduler.after(20, () => resolve(undefined)));
    expect(runs).toEqual(['kept']);
  });
});

describe('ManualScheduler', () => {
  it('fires timers only inside advance(), in due order, with the clock at each due time', async () => {
    const clock = new ManualClock(1_000);
    const scheduler = new ManualScheduler(clock);
    const fired: [string, number][] = [];
    scheduler.after(300, () => fired.push(['b', clock.monotonicMs()]));
    scheduler.after(100, () => fired.push(['a', clock.monotonicMs()]));
    const ticks = scheduler.every(250, async () => void fired.push(['tick', clock.monotonicMs()]));
    scheduler.after(50, () => fired.push(['never', clock.monotonicMs()])).cancel();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fired).toEqual([]);
    await scheduler.advance(600);
    expect(fired).toEqual([
      ['a', 100],
      ['tick', 250],
      ['b', 300],
      ['tick', 500],
    ]);
    expect([clock.monotonicMs(), clock.nowMs()]).toEqual([600, 1_600]);
    expect(scheduler.pending).toBe(1);
    ticks.cancel();
    expect(scheduler.pending).toBe(0);
  });

  it('runs a timer armed by a task that fired, if it falls due in the same advance', async () => {
    const clock = new ManualClock();
    const scheduler = new ManualScheduler(clock);
    const fired: number[] = [];
    scheduler.after(10, () => scheduler.after(10, () => fired.push(clock.monotonicMs())));
    await scheduler.advance(25);
    expect(fired).toEqual([20]);
  });
});
