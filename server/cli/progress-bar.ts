/**
 * Progress of a long produce on stderr. On a TTY: one line redrawn at most every 100 ms (10 Hz is
 * smooth to the eye and costs nothing next to a 1,000-record request). Elsewhere (a pipe, a CI
 * log): a plain line every 5 s, so logs stay readable and grep-able. Output goes to stderr only, so
 * stdout stays clean for pipelines.
 */

export interface ProgressOptions {
  /** Known input size in bytes (a regular file), to show a bar and a percentage. */
  totalBytes?: number | null;
  /** Plain-line interval when stderr is not a TTY (default 5 s). */
  plainIntervalMs?: number;
  /** Redraw interval on a TTY (default 100 ms). */
  ttyIntervalMs?: number;
  now?: () => number;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressBar {
  private readonly startedMs: number;
  private lastDrawMs = 0;
  private drawn = false;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.startedMs = this.now();
    this.lastDrawMs = this.startedMs;
    this.intervalMs = stream.isTTY ? (options.ttyIntervalMs ?? 100) : (options.plainIntervalMs ?? 5_000);
  }

  /** records/payloadBytes: sent so far; inputBytes: consumed from the input (for the bar). */
  update(records: number, payloadBytes: number, inputBytes: number): void {
    const nowMs = this.now();
    if (nowMs - this.lastDrawMs < this.intervalMs) return;
    this.lastDrawMs = nowMs;
    const elapsedS = (nowMs - this.startedMs) / 1000;
    const rate = `${formatCount(records / elapsedS)} records/s`;
    if (!this.stream.isTTY) {
      this.stream.write(`produced ${formatCount(records)} records (${formatMegabytes(payloadBytes)}), ${rate}\n`);
      return;
    }
    const total = this.options.totalBytes;
    const stats = `${formatCount(records)} records  ${formatMegabytes(payloadBytes)}  ${rate}`;
    let line = stats;
    if (total) {
      const fraction = Math.min(1, inputBytes / total);
      const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - stats.length - 10));
      const filled = Math.round(fraction * width);
      line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${stats}`;
    }
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Clears the bar (TTY) so the final summary starts on a clean line. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '0';
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 2 : 1)} MB`;
}
