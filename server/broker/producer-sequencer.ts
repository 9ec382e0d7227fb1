/**
 * Orders an idempotent producer's produce calls by their `sequence` (docs/GRAPHQL-API.md
 * "Exactly-once"; the call-level half of storage/FORMAT.md §12). A producer's calls run one at a
 * time, in sequence order, whatever order they arrive in:
 * - the expected sequence runs (and the expected one moves on once it succeeded everywhere);
 * - up to MAX_IN_FLIGHT − 1 ahead of it waits for its predecessors (Kafka's
 *   max.in.flight.requests.per.connection = 5): as long as they take once all of them arrived,
 *   else at most `waitMs` from its arrival, then OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - one of the last MAX_IN_FLIGHT sequences (a retry) runs again: every partition log answers a
 *   batch it already holds with its original offsets (the per-partition check, under the log lock),
 *   and appends what a partially failed original did not reach;
 * - anything else is OUT_OF_ORDER_SEQUENCE_NUMBER at once. Nothing is appended for a refused call.
 * The expected sequence is rebuilt after a restart from the partitions' producer state (the newest
 * sequence of the producer's current epoch in any partition, + 1), so it needs nothing but the log.
 *
 * Single-threaded (the event loop); waiting calls hold a timer only while they wait.
 */
import { OutOfOrderSequenceError, ProducerFencedError, type Scheduler } from '../../storage/index';
import type { Catalog, ProducerRecord } from '../catalog/catalog';
import { UnknownProducerIdError } from '../errors';

/** Kafka's idempotence limit on in-flight requests per producer. */
export const MAX_IN_FLIGHT = 5;
export const SEQUENCE_MODULUS = 2 ** 31;

export interface ProducerIdentity {
  producerId: number;
  epoch: number;
}

/** The producer's newest batch in one partition (from storage's ProducerStateManager). */
export interface LoggedSequence {
  epoch: number;
  sequence: number;
  lastTimestampMs: number;
}

export interface ProducerSequencerOptions {
  catalog: Pick<Catalog, 'getProducer'>;
  nowMs: () => number;
  /** Times the wait of a call ahead of its predecessors (a ManualScheduler in seeded tests). */
  scheduler: Scheduler;
  /** Every partition's newest batch of this producer (live state only). */
  loggedSequences: (producerId: number) => LoggedSequence[];
  expirationMs: number;
  /** Longest a call ahead of its predecessors waits for them. */
  waitMs: number;
}

interface SequencerEntry {
  epoch: number;
  /** The next sequence to append; null = no state (new after expiry): only sequence 0 starts it. */
  next: number | null;
  lastActiveMs: number;
  /** How many sequences before `next` are known appended (≤ MAX_IN_FLIGHT): only those can be retries. */
  history: number;
  busy: boolean;
  /** Sequences of the calls here now (running or waiting), with how many of each. */
  readonly present: Map<number, number>;
  readonly wakers: Set<() => void>;
}

/** How far `sequence` is ahead of `from`, mod 2³¹. */
function distance(from: number, sequence: number): number {
  return (((sequence - from) % SEQUENCE_MODULUS) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
}

/** New producers loaded between two sweeps of the expired, idle entries. */
const SWEEP_EVERY_LOADS = 1_024;

export class ProducerSequencer {
  private readonly entries = new Map<number, Promise<SequencerEntry>>();
  private readonly loaded = new Map<number, SequencerEntry>();
  private loadsSinceSweep = 0;

  constructor(private readonly options: ProducerSequencerOptions) {}

  /** Runs `work` (the call's appends; `isRetry`: a sequence already appended once) when `sequence`'s turn comes; see the file comment. */
  async run<T>(producer: ProducerIdentity, sequence: number, work: (isRetry: boolean) => Promise<T>): Promise<T> {
    const entry = await this.entryOf(producer.producerId);
    if (producer.epoch !== entry.epoch) throw new ProducerFencedError(producer.producerId, producer.epoch, entry.epoch);
    const deadline = this.options.nowMs() + this.options.waitMs;
    entry.present.set(sequence, (entry.present.get(sequence) ?? 0) + 1);
    for (const wake of [...entry.wakers]) wake(); // a waiter's gap may be filled now
    try {
      for (;;) {
        if (entry.next !== null && this.options.nowMs() - entry.lastActiveMs >= this.options.expirationMs && !entry.busy) entry.next = null;
        if (entry.next === null) entry.history = 0;
        if (entry.next === null && sequence !== 0) {
          throw new UnknownProducerIdError(
            producer.producerId,
            'no state for this producer (expired after producer.id.expiration.ms, or lost); call initProducer again',
          );
        }
        const expected = entry.next ?? 0;
        const ahead = distance(expected, sequence);
        const behind = distance(sequence, expected);
        const isNext = ahead === 0;
        const isRetry = behind >= 1 && behind <= entry.history;
        if (!isNext && !isRetry && ahead >= MAX_IN_FLIGHT) throw this.outOfOrder(producer, sequence, expected);
        if (!isNext && !isRetry && !this.predecessorsPresent(entry, expected, ahead)) {
          // A gap: its missing predecessors have `waitMs` from its arrival to come.
          const remainingMs = deadline - this.options.nowMs();
          if (remainingMs <= 0 || !(await this.waitForChange(entry, remainingMs))) throw this.outOfOrder(producer, sequence, expected);
          continue;
        }
        if (entry.busy || (!isNext && !isRetry)) {
          // Its turn is coming: every predecessor is here, running or waiting (bounded by them: acks ALL times out at 30 s).
          await this.waitForChange(entry, null);
          continue;
        }
        entry.busy = true;
        try {
          const result = await work(isRetry);
          if (isNext) {
            entry.next = (sequence + 1) % SEQUENCE_MODULUS;
            entry.history = Math.min(MAX_IN_FLIGHT, entry.history + 1);
          }
          entry.lastActiveMs = this.options.nowMs();
          return result;
        } finally {
          entry.busy = false;
          for (const wake of [...entry.wakers]) wake();
        }
      }
    } finally {
      const count = entry.present.get(sequence)! - 1;
      if (count === 0) entry.present.delete(sequence);
      else entry.present.set(sequence, count);
      for (const wake of [...entry.wakers]) wake(); // a waiter behind this one may now have a gap
    }
  }

  /** Whether every sequence from `expected` up to (not including) `expected + ahead` has arrived. */
  private predecessorsPresent(entry: SequencerEntry, expected: number, ahead: number): boolean {
    for (let d = 0; d < ahead; d++) if (!entry.present.has((expected + d) % SEQUENCE_MODULUS)) return false;
    return true;
  }

  /** Forgets one producer's cached entry: its epoch changed (a transaction ended, initProducer fenced it); the next call reloads it. */
  forget(producerId: number): void {
    this.entries.delete(producerId);
    this.loaded.delete(producerId);
  }

  /** Forgets every cached entry (tests; a topic deletion may drop the state of producers). */
  forgetAll(): void {
    this.entries.clear();
    this.loaded.clear();
  }

  /** Forgets idle producers silent past the expiration (they are rebuilt from the logs if they come back). */
  private sweepExpired(): void {
    this.loadsSinceSweep = 0;
    const nowMs = this.options.nowMs();
    for (const [producerId, entry] of this.loaded) {
      if (!entry.busy && entry.present.size === 0 && nowMs - entry.lastActiveMs >= this.options.expirationMs) {
        this.loaded.delete(producerId);
        this.entries.delete(producerId);
      }
    }
  }

  private entryOf(producerId: number): Promise<SequencerEntry> {
    let entry = this.entries.get(producerId);
    if (!entry) {
      if (++this.loadsSinceSweep >= SWEEP_EVERY_LOADS) this.sweepExpired();
      entry = this.load(producerId).then((loaded) => {
        this.loaded.set(producerId, loaded);
        return loaded;
      });
      this.entries.set(producerId, entry);
      entry.catch(() => this.entries.delete(producerId)); // an unknown id is asked again next time
    }
    return entry;
  }

  private async load(producerId: number): Promise<SequencerEntry> {
    const record: ProducerRecord | null =
      Number.isSafeInteger(producerId) && producerId >= 0 ? await this.options.catalog.getProducer(producerId) : null;
    if (!record) throw new UnknownProducerIdError(producerId, 'this node never handed it out');
    let newest: LoggedSequence | null = null;
    for (const logged of this.options.loggedSequences(producerId)) {
      if (logged.epoch !== record.epoch) continue;
      const isNewer =
        newest === null ||
        (distance(newest.sequence, logged.sequence) > 0 && distance(newest.sequence, logged.sequence) < SEQUENCE_MODULUS / 2);
      if (isNewer) newest = logged;
    }
    const nowMs = this.options.nowMs();
    if (newest) {
      // Sequences below the newest may have wrapped; counting from 0 is the safe side (a retry refused, never one appended twice).
      const history = Math.min(MAX_IN_FLIGHT, newest.sequence + 1);
      return {
        epoch: record.epoch,
        next: (newest.sequence + 1) % SEQUENCE_MODULUS,
        lastActiveMs: newest.lastTimestampMs,
        history,
        busy: false,
        present: new Map(),
        wakers: new Set(),
      };
    }
    // No batch in any partition: a fresh producer (expects 0), or one whose state expired (only 0 restarts it).
    const fresh = nowMs - record.updatedAtMs < this.options.expirationMs;
    return {
      epoch: record.epoch,
      next: fresh ? 0 : null,
      lastActiveMs: record.updatedAtMs,
      history: 0,
      busy: false,
      present: new Map(),
      wakers: new Set(),
    };
  }

  /** Resolves true when the entry changed (a call finished), false after `timeoutMs` (null: no timeout). */
  private waitForChange(entry: SequencerEntry, timeoutMs: number | null): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        timer?.cancel();
        entry.wakers.delete(wake);
        resolve(true);
      };
      const timer =
        timeoutMs === null
          ? null
          : this.options.scheduler.after(timeoutMs, () => {
              entry.wakers.delete(wake);
              resolve(false);
            });
      entry.wakers.add(wake);
    });
  }

  private outOfOrder(producer: ProducerIdentity, sequence: number, expected: number): OutOfOrderSequenceError {
    return new OutOfOrderSequenceError(
      `producer ${producer.producerId}: sequence ${sequence} is out of order; the next expected is ${expected} (a call may be at most ${MAX_IN_FLIGHT - 1} ahead, waiting for its predecessors, or one of the last ${MAX_IN_FLIGHT} as a retry)`,
      { producerId: producer.producerId, sequence, expectedSequence: expected },
    );
  }
}
