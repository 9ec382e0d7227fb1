/**
 * What `logway consume --group` commits: per partition, the offset after the last record it
 * printed (Kafka's console consumer commits what it consumed; here only what reached stdout, so
 * the rest of a pushed batch that `--max` cut off is read again by the next run). Commits are
 * member commits (the memberId and generation of the latest batch) over HTTP: every
 * COMMIT_INTERVAL_MS while records are printed, and once at the end, before the subscription
 * closes, while the member still owns its partitions.
 *
 * A partition a rebalance took away is dropped from what is pending: the node handed it over
 * already, and its new owner starts from the last commit (at-least-once, as Kafka). A commit the
 * node refuses (a rebalance raced it) is reported on stderr and the consumer goes on; the next
 * commit carries the same offsets again.
 *
 * Not safe for concurrent use beyond what it serializes itself: commits run one at a time.
 */
import { CliError } from '../cli-errors';
import { CommitDocument, type ConsumeSubscription } from '../generated/operations';
import type { GraphQLHttpClient } from '../graphql-http';

/** Kafka's auto.commit.interval.ms default. */
export const COMMIT_INTERVAL_MS = 5_000;

/**
 * What a pushed batch says about the member (consume.graphql's Consume); `assignment`: the
 * member's partitions, set on an announcement after a (re)balance.
 */
export type MemberBatch = Pick<ConsumeSubscription['records'], 'partition' | 'memberId' | 'generation' | 'assignment'>;

export class PrintedOffsets {
  /** partition → offset after the last printed record, not committed yet. */
  private readonly pending = new Map<number, number>();
  private memberId: string | null = null;
  private generation: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly http: GraphQLHttpClient,
    private readonly group: string,
    private readonly topic: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** Every batch the subscription pushed (announcements too): who the member is now and what it owns. */
  noteBatch(batch: MemberBatch): void {
    if (batch.memberId !== null) this.memberId = batch.memberId;
    if (batch.generation !== null) this.generation = batch.generation;
    if (batch.assignment !== null) {
      const owned = new Set(batch.assignment);
      for (const partition of [...this.pending.keys()]) if (!owned.has(partition)) this.pending.delete(partition);
    }
  }

  /** Records up to `nextOffset` (exclusive) of `partition` were written to stdout. */
  notePrinted(partition: number, nextOffset: number): void {
    this.pending.set(partition, Math.max(nextOffset, this.pending.get(partition) ?? 0));
  }

  /** Commits every COMMIT_INTERVAL_MS until stop(); a failure is reported and retried next time. */
  start(intervalMs = COMMIT_INTERVAL_MS): void {
    this.timer = setInterval(() => void this.commit().catch((error: unknown) => this.warn(commitWarning(error, false))), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Commits what is pending (nothing to do when nothing was printed since the last commit). */
  commit(): Promise<void> {
    const run = this.chain.then(() => this.commitPending());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async commitPending(): Promise<void> {
    if (this.pending.size === 0 || this.memberId === null || this.generation === null) return;
    const taken = new Map(this.pending);
    const offsets = [...taken].map(([partition, offset]) => ({ topic: this.topic, partition, offset }));
    await this.http.request(CommitDocument, { group: this.group, offsets, memberId: this.memberId, generation: this.generation });
    // Only what this commit carried: records printed meanwhile stay pending.
    for (const [partition, offset] of taken) if (this.pending.get(partition) === offset) this.pending.delete(partition);
  }
}

/** The stderr line for a refused commit; `final`: no later commit retries it. */
export function commitWarning(error: unknown, final: boolean): string {
  const text = error instanceof CliError ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);
  const outcome = final ? 'the next run with this group prints these records again' : 'the next commit retries them';
  return `warning: could not commit offsets (${outcome}): ${text}\n`;
}
