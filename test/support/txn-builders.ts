/**
 * Transactional batches and COMMIT/ABORT markers written straight through PartitionLog.append, as
 * the transaction coordinator (issue #12's write side) writes them (storage/FORMAT.md §4, §13).
 */
import { encodeEndTransactionMarker, type AppendOptions, type AppendResult, type PartitionLog } from '../../storage';
import { records } from './log-builders';

export function txnOptions(producerId: number, sequence: number, producerEpoch = 0): AppendOptions {
  return { leaderEpoch: 0, producerId, producerEpoch, baseSequence: sequence, isTransactional: true };
}

/** `count` records of producer `producerId`'s open transaction. */
export function appendTxn(log: PartitionLog, producerId: number, sequence: number, count: number, prefix = 'v'): Promise<AppendResult> {
  return log.append(records(count, prefix), txnOptions(producerId, sequence));
}

export function appendMarker(log: PartitionLog, producerId: number, type: 'COMMIT' | 'ABORT', producerEpoch = 0): Promise<AppendResult> {
  return log.append([encodeEndTransactionMarker({ type, coordinatorEpoch: 0 }, 1_700_000_000_000)], {
    leaderEpoch: 0,
    producerId,
    producerEpoch,
    baseSequence: -1,
    isTransactional: true,
    isControl: true,
  });
}
