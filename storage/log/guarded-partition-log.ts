/**
 * GuardedPartitionLog: a PartitionLog whose leader appends (`append` and `appendAsLeader`) pass the
 * node's FreeSpaceGuard first (free-space-guard.ts). LogManager creates these when the guard is on (the default). A refused
 * append is rejected before it is encoded or queued, so nothing of it reaches the log; an admitted
 * one holds a reservation (at most its max.message.bytes) until it settles, then the bytes it
 * wrote count until the next statfs. Follower appends are not guarded (see the guard).
 *
 * A subclass rather than a hook inside PartitionLog: the guard is a node-level policy over one
 * volume, and the log stays the unit that knows only its own directory (and partition-log.ts, at
 * the 500-line limit, stays untouched).
 *
 * Concurrency: as PartitionLog.
 */
import type { InsufficientFreeSpaceError } from '../errors';
import type { LogRecordInput } from '../format/record';
import type { AppendOptions, AppendResult } from './append-batches';
import type { FreeSpaceGuard } from './free-space-guard';
import { PartitionLog, type PartitionLogInit } from './partition-log';

export class GuardedPartitionLog extends PartitionLog {
  constructor(
    init: PartitionLogInit,
    private readonly guard: FreeSpaceGuard,
  ) {
    super(init);
  }

  override append(records: LogRecordInput[], options: AppendOptions): Promise<AppendResult> {
    return this.guarded(records, () => super.append(records, options));
  }

  override appendAsLeader(batchBytes: Buffer, options: Pick<AppendOptions, 'leaderEpoch'>): Promise<AppendResult> {
    return this.guarded(batchBytes, () => super.appendAsLeader(batchBytes, options));
  }

  private guarded(size: LogRecordInput[] | Buffer, append: () => Promise<AppendResult>): Promise<AppendResult> {
    let reservation: number | InsufficientFreeSpaceError;
    try {
      reservation = this.guard.admit(size, this.config.maxMessageBytes, this);
    } catch {
      return append(); // malformed records: the encoder rejects them with its own error
    }
    if (typeof reservation !== 'number') return Promise.reject(reservation);
    const reserved = reservation;
    const appended = append();
    appended.then(
      (result) => this.guard.settle(reserved, result.sizeBytes),
      () => this.guard.settle(reserved, 0),
    );
    return appended;
  }
}
