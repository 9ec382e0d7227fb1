import { ManualClock, SystemClock } from '../../../storage';

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
