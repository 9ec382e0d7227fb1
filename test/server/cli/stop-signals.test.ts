import { REPEAT_WINDOW_MS, stopSignalHandler } from '../../../server/cli/stop-signals';

function handler() {
  const calls: string[] = [];
  let now = 1_000;
  const onSignal = stopSignalHandler({ requestStop: () => calls.push('stop'), exitNow: () => calls.push('exit'), nowMs: () => now });
  return { calls, onSignal, advance: (ms: number) => (now += ms) };
}

describe('stop signals', () => {
  it('asks the command to stop on the first signal, and exits on a second', () => {
    const h = handler();
    h.onSignal('SIGTERM');
    expect(h.calls).toEqual(['stop']);
    h.advance(REPEAT_WINDOW_MS);
    h.onSignal('SIGTERM');
    expect(h.calls).toEqual(['stop', 'exit']);
  });

  it('takes the same signal again right away as the same request (Ctrl-C under npm start arrives twice)', () => {
    const h = handler();
    h.onSignal('SIGINT');
    h.advance(5);
    h.onSignal('SIGINT');
    h.advance(REPEAT_WINDOW_MS - 10);
    h.onSignal('SIGINT');
    expect(h.calls).toEqual(['stop']);
    h.advance(10);
    h.onSignal('SIGINT');
    expect(h.calls).toEqual(['stop', 'exit']);
  });

  it('exits at once on a different signal, however soon', () => {
    const h = handler();
    h.onSignal('SIGINT');
    h.onSignal('SIGTERM');
    expect(h.calls).toEqual(['stop', 'exit']);
  });
});
