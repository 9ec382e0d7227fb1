/**
 * What SIGINT/SIGTERM mean to a running command: the first asks it to finish (consume prints its
 * count, start closes the node cleanly); a later one exits at once (a shutdown that hangs) —
 * except the same signal again within REPEAT_WINDOW_MS of the first, which is the same request
 * delivered twice, not a second one:
 * - Ctrl-C under `npm start`: the terminal sends SIGINT to the whole foreground process group,
 *   npm included, and npm forwards its copy to its child, which is the node (the script `exec`s it).
 * - systemd's default KillMode=control-group sends SIGTERM to every process of the unit, npm
 *   included, which forwards it again.
 * Both copies arrive within milliseconds; the window is generous so a loaded machine's slow npm
 * still lands inside it. A user who wants out at once signals again after the window.
 */
export const REPEAT_WINDOW_MS = 2_000;

export interface StopSignalOptions {
  /** The first signal: ask the command to finish. */
  requestStop(): void;
  /** A second, distinct signal: exit now. */
  exitNow(): void;
  /** Monotonic milliseconds (performance.now in main.ts). */
  nowMs(): number;
}

export function stopSignalHandler(options: StopSignalOptions): (signal: NodeJS.Signals) => void {
  let first: { signal: NodeJS.Signals; atMs: number } | null = null;
  return (signal) => {
    const now = options.nowMs();
    if (first === null) {
      first = { signal, atMs: now };
      options.requestStop();
      return;
    }
    if (signal === first.signal && now - first.atMs < REPEAT_WINDOW_MS) return; // the same request, delivered twice
    options.exitNow();
  };
}
