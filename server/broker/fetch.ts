/**
 * Reading records: the `records` page query, and the one read step that tails and group members
 * share. A read returns whole batches from the log (the one holding the fetch offset first), so
 * records before the fetch offset are skipped here; control batches are never shown (in either
 * isolation). Reads stop at the high watermark, never at the log end: a consumer sees only
 * replicated records. READ_COMMITTED stops at the last stable offset instead and skips the batches
 * of aborted transactions: those of a producer with an aborted entry (storage/FORMAT.md §13)
 * spanning the batch's offset, as Kafka's consumer does with the fetch's aborted list.
 */
import { type AbortedTxn, CorruptRecordError, decodeRecordBatch, OffsetOutOfRangeError } from '../../storage/index';
import { BadUserInputError } from '../errors';
import type { BrokerDeps } from './broker-deps';
import { validateLookupTimestamp } from '../lookup-timestamp';
import { knownPartition } from './known-topic';
import { readLimit } from './read-limit';
import type { PartitionRuntime } from './topic-registry';
import type { ConsumedRecord, FetchRequest, Isolation, RecordPage } from './types';

export interface ReadResult {
  records: ConsumedRecord[];
  /** Where the next read starts: after the last record returned, or past skipped batches. */
  nextOffset: number;
  bytes: number;
}

/** Reads up to `recordsMax` records at or after `fetchOffset`, below the isolation's limit. */
export async function readRecords(
  runtime: PartitionRuntime,
  fetchOffset: number,
  recordsMax: number,
  fetchBytesMax: number,
  isolation: Isolation,
): Promise<ReadResult> {
  const records: ConsumedRecord[] = [];
  const limitOffset = readLimit(runtime.replica, isolation);
  let nextOffset = fetchOffset;
  let bytes = 0;
  const aborted = isolation === 'READ_COMMITTED' ? abortedByProducer(runtime.log.abortedTransactions(fetchOffset, limitOffset)) : null;
  while (records.length < recordsMax && nextOffset < limitOffset && bytes < fetchBytesMax) {
    let batches;
    try {
      batches = await runtime.log.read(nextOffset, { maxBytes: fetchBytesMax - bytes, maxOffset: limitOffset });
    } catch (error) {
      // Damage after what this page already holds: serve that; the next read (at nextOffset, the
      // first bad offset) answers CORRUPT_MESSAGE (storage/FORMAT.md §5 "Batch order").
      if (error instanceof CorruptRecordError && nextOffset > fetchOffset) break;
      throw error;
    }
    if (batches.length === 0) break;
    for (const batch of batches) {
      bytes += batch.bytes.length;
      const decoded = decodeRecordBatch(batch.bytes, 0, { crcVerified: true });
      if (
        !decoded.header.isControl &&
        !(aborted && isAborted(aborted, decoded.header.producerId, decoded.header.isTransactional, batch.baseOffset))
      ) {
        for (const record of decoded.records) {
          if (record.offset < nextOffset || record.offset >= limitOffset) continue;
          if (records.length === recordsMax) return { records, nextOffset, bytes };
          records.push(record);
          nextOffset = record.offset + 1;
        }
      }
      // Records past the last one (compacted away, or a control batch) are skipped by offset.
      if (records.length < recordsMax) nextOffset = Math.max(nextOffset, Math.min(batch.lastOffset + 1, limitOffset));
    }
  }
  return { records, nextOffset, bytes };
}

function abortedByProducer(list: AbortedTxn[]): Map<number, AbortedTxn[]> | null {
  if (list.length === 0) return null;
  const map = new Map<number, AbortedTxn[]>();
  for (const txn of list) map.set(txn.producerId, [...(map.get(txn.producerId) ?? []), txn]);
  return map;
}

/** A transactional batch at `offset` belongs to an aborted transaction of its producer: [firstOffset, marker). */
function isAborted(aborted: Map<number, AbortedTxn[]>, producerId: number, isTransactional: boolean, offset: number): boolean {
  return isTransactional && (aborted.get(producerId)?.some((t) => t.firstOffset <= offset && offset < t.lastOffset) ?? false);
}

export async function fetchRecordPage(deps: BrokerDeps, request: FetchRequest): Promise<RecordPage> {
  const max = deps.limits.fetchRecordsMax;
  if (!Number.isInteger(request.limit) || request.limit < 1) throw new BadUserInputError('limit must be at least 1');
  if (request.limit > max) throw new BadUserInputError(`limit must be at most ${max}`, { max });
  const runtime = await knownPartition(deps, request.topic, request.partition);
  const fetchOffset = await startOffset(runtime, request.offset, request.timestampMs);
  const { records, nextOffset, bytes } = await readRecords(
    runtime,
    fetchOffset,
    request.limit,
    deps.limits.fetchBytesMax,
    request.isolation,
  );
  deps.metrics.recordsConsumed(request.topic, records.length, bytes);
  return { topic: request.topic, partition: request.partition, records, nextOffset, highWatermark: runtime.replica.highWatermark };
}

/** An explicit offset (checked against the log), else the first at or after a timestamp, else the log start. */
export async function startOffset(runtime: PartitionRuntime, offset: number | null, timestampMs: number | null): Promise<number> {
  const { log } = runtime;
  if (offset !== null) {
    if (offset < 0) throw new BadUserInputError('offset must not be negative', { offset });
    if (offset < log.logStartOffset || offset > log.logEndOffset) {
      throw new OffsetOutOfRangeError(offset, log.logStartOffset, log.logEndOffset);
    }
    return offset;
  }
  if (timestampMs !== null) {
    return (await log.offsetForTimestamp(validateLookupTimestamp(timestampMs))) ?? readLimit(runtime.replica, 'READ_UNCOMMITTED');
  }
  return log.logStartOffset;
}
