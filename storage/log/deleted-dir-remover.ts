/**
 * Removes `-delete` directories in the background (storage/FORMAT.md §9): at most 16 trees at a
 * time, each removal awaited, so deleting a 10,000-partition topic never holds the event loop or
 * the delete call. The queue is filled by LogManager.open (every `-delete` directory found: an
 * interrupted removal resumes) and by every delete. A failed removal is reported and left for the
 * next start; `stop` lets the removals in flight finish and starts no more.
 */
import type { FileSystem } from '../io/file-system';

const REMOVALS_IN_FLIGHT = 16;

export class DeletedDirRemover {
  private readonly queue: string[] = [];
  private workers = 0;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | null = null;

  constructor(
    private readonly fs: FileSystem,
    private readonly onError: (error: unknown, dir: string) => void,
  ) {}

  /** Queues directories (already renamed `-delete` and fsynced) and starts removing them. */
  add(dirs: readonly string[]): void {
    if (this.stopped || dirs.length === 0) return;
    this.queue.push(...dirs);
    if (!this.resolveIdle) this.idle = new Promise((resolve) => (this.resolveIdle = resolve));
    while (this.workers < REMOVALS_IN_FLIGHT && this.workers < this.queue.length) {
      this.workers++;
      void this.work();
    }
  }

  /** Directories queued and not yet removed. */
  get pending(): number {
    return this.queue.length + this.workers;
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Finishes the removals in flight; queued ones stay on disk for the next start. */
  stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    return this.idle;
  }

  private async work(): Promise<void> {
    for (let dir = this.queue.shift(); dir !== undefined; dir = this.queue.shift()) {
      try {
        await this.fs.removeTree(dir);
      } catch (error) {
        this.onError(error, dir);
      }
    }
    this.workers--;
    if (this.workers === 0) {
      this.resolveIdle?.();
      this.resolveIdle = null;
    }
  }
}
