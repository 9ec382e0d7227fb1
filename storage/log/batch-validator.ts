/**
 * The one validator of the batches an append hands the log (storage/FORMAT.md §11; Kafka's
 * LogValidator and UnifiedLog.analyzeAndValidateRecords). Leader and follower appends, and the
 * decoded path's freshly encoded batch, all pass `validateBatches`; the differences between them
 * are the `BatchRules` (built by `leaderRules` / `followerRules`), not separate code.
 *
 * Two steps, because only one of them needs the log's state:
 *   - `validateBatches(bytes, rules)`: everything the bytes and the topic config decide. Runs before
 *     the append is queued, outside the log lock.
 *   - `checkFollowerPosition(batches, logEndOffset, latestEpoch)`: the follower's batches against the
 *     log end offset and the leader-epoch cache. Runs under the log lock, where both are known.
 * A producer-state check (the idempotent producer's sequences) would sit beside the second one: it
 * needs the producer state as of the log end, i.e. under the lock too.
 *
 * Pure functions: they read the bytes and never change them (the leader's stamping is done by the
 * caller, append-batches.ts, from what `validateBatches` reports). No I/O; safe to call concurrently.
 */
import { CorruptRecordError, InvalidRecordError, RecordTooLargeError } from '../errors';
import { decodeRecordBatch, isBatchCrcValid } from '../format/record-batch';
import type { BatchRecord } from '../format/record';
import { BATCH_HEADER_SIZE_BYTES, LOG_OVERHEAD_BYTES, readBatchHeader, type RecordBatchHeader } from '../format/record-batch-header';
import type { BatchToAppend } from '../segment/log-segment';
import { hasCompact, type LogConfig, type MessageTimestampType } from './log-config';

export interface BatchRules {
  /** leader: exactly one batch, sent with baseOffset 0 (the log assigns offsets); follower: offsets as sent. */
  role: 'leader' | 'follower';
  /** False only for bytes this process just encoded (the encoder computed the CRC). */
  verifyCrc: boolean;
  /**
   * Decode the records once: framing, offset deltas 0 … n−1, keys, the largest timestamp. False for
   * a follower (it keeps the leader's bytes, whatever their codec) and for bytes just encoded.
   */
  verifyRecords: boolean;
  /** max.message.bytes for the whole batch with its log overhead; null = not checked (follower). */
  maxMessageBytes: number | null;
  /** Control batches (transaction markers): from a follower's leader or an in-process coordinator only. */
  allowControl: boolean;
  /** A compacted topic needs a key on every record (checkRecordKeys: on the decoded records, or on the inputs before encoding). */
  requireKeys: boolean;
  /** message.timestamp.type the leader applies; null keeps each batch's (follower). */
  timestampType: MessageTimestampType | null;
}

/** A batch that passed, with what the leader must stamp on it. */
export interface ValidatedBatch extends BatchToAppend {
  partitionLeaderEpoch: number;
  /** Leader with verifyRecords: the largest record timestamp (CreateTime's maxTimestamp); else the header's. */
  recordsMaxTimestampMs: number;
  /** The batch's timestamp type bit as sent. */
  timestampType: RecordBatchHeader['timestampType'];
}

export interface ValidatedBatches {
  batches: ValidatedBatch[];
  /** Offset slots the batches cover (flush.messages counts them). */
  messageCount: number;
}

/** A leader's rules for `config`. `source` 'encoded': bytes this process just encoded from records. */
export function leaderRules(config: LogConfig, source: 'bytes' | 'encoded'): BatchRules {
  const external = source === 'bytes';
  return {
    role: 'leader',
    verifyCrc: external,
    verifyRecords: external,
    maxMessageBytes: config.maxMessageBytes,
    allowControl: !external,
    requireKeys: hasCompact(config),
    timestampType: config.messageTimestampType,
  };
}

/** A follower keeps what its leader accepted: whole, CRC-valid, increasing batches, nothing more. */
export function followerRules(): BatchRules {
  return {
    role: 'follower',
    verifyCrc: true,
    verifyRecords: false,
    maxMessageBytes: null,
    allowControl: true,
    requireKeys: false,
    timestampType: null,
  };
}

/** Checks `buffer` against `rules` (storage/FORMAT.md §11) and describes its batches, or throws the coded error. */
export function validateBatches(buffer: Buffer, rules: BatchRules, topic: string): ValidatedBatches {
  const batches: ValidatedBatch[] = [];
  let messageCount = 0;
  for (let position = 0; position < buffer.length;) {
    if (rules.role === 'leader' && position > 0) {
      throw new InvalidRecordError(`an append as leader takes exactly one batch; ${buffer.length - position} bytes follow the first`, {
        topic,
        position,
      });
    }
    const batch = validateBatch(buffer, position, rules, topic);
    const previous = batches[batches.length - 1];
    if (previous && batch.baseOffset <= previous.lastOffset) {
      throw new InvalidRecordError(
        `follower batch offsets go backwards at ${batch.baseOffset} (previous batch ends at ${previous.lastOffset})`,
        { topic, baseOffset: batch.baseOffset },
      );
    }
    if (previous && batch.partitionLeaderEpoch < previous.partitionLeaderEpoch) {
      throw new InvalidRecordError(
        `follower batch at ${batch.baseOffset} has leader epoch ${batch.partitionLeaderEpoch}, older than the previous batch's ${previous.partitionLeaderEpoch}`,
        {
          topic,
          baseOffset: batch.baseOffset,
        },
      );
    }
    batches.push(batch);
    messageCount += batch.lastOffset - batch.baseOffset + 1;
    position += batch.bytes.length;
  }
  if (batches.length === 0) throw new InvalidRecordError('an append needs at least one batch', { topic });
  return { batches, messageCount };
}

/**
 * Under the log lock: a follower's batches must start at or after the log end offset (a gap is a
 * compacted leader) and not go back to an older leader epoch than the log's latest. Null = fine.
 */
export function checkFollowerPosition(
  batches: readonly ValidatedBatch[],
  logEndOffset: number,
  latestEpoch: number,
): InvalidRecordError | null {
  const first = batches[0]!;
  if (first.baseOffset < logEndOffset) {
    return new InvalidRecordError(`follower batch at offset ${first.baseOffset} is below the log end offset ${logEndOffset}`, {
      baseOffset: first.baseOffset,
      logEndOffset,
    });
  }
  if (first.partitionLeaderEpoch < latestEpoch) {
    return new InvalidRecordError(
      `follower batch at offset ${first.baseOffset} has leader epoch ${first.partitionLeaderEpoch}, older than the log's latest ${latestEpoch}`,
      {
        baseOffset: first.baseOffset,
        partitionLeaderEpoch: first.partitionLeaderEpoch,
        latestEpoch,
      },
    );
  }
  return null;
}

function validateBatch(buffer: Buffer, position: number, rules: BatchRules, topic: string): ValidatedBatch {
  const remaining = buffer.length - position;
  if (remaining < BATCH_HEADER_SIZE_BYTES) throw corrupt(position, `${remaining} bytes left, shorter than a batch header`);
  const header = readBatchHeader(buffer, position); // magic, batchLength ≥ 49, compression id, safe int64s: CORRUPT_MESSAGE
  const sizeBytes = LOG_OVERHEAD_BYTES + header.batchLengthBytes;
  if (sizeBytes > remaining) throw corrupt(position, `batch of ${sizeBytes} bytes runs past the ${remaining} bytes given`);
  if (header.lastOffsetDelta < 0) throw corrupt(position, `negative lastOffsetDelta ${header.lastOffsetDelta}`);
  if (header.baseOffset < 0) throw corrupt(position, `negative baseOffset ${header.baseOffset}`);
  const bytes = buffer.subarray(position, position + sizeBytes);
  if (rules.maxMessageBytes !== null && sizeBytes > rules.maxMessageBytes) throw new RecordTooLargeError(sizeBytes, rules.maxMessageBytes);
  // The CRC before any rule about the covered fields: damaged bytes are reported as damaged.
  if (rules.verifyCrc && !isBatchCrcValid(bytes, 0)) throw corrupt(position, 'CRC mismatch');
  if (header.isControl && !rules.allowControl)
    throw new InvalidRecordError('clients may not write control batches (transaction markers)', { topic });
  checkCounts(header, rules, topic);
  if (rules.role === 'leader' && !header.isControl && header.producerId >= 0 && header.baseSequence < 0) {
    throw new InvalidRecordError(`producer ${header.producerId} sent base sequence ${header.baseSequence}`, {
      topic,
      producerId: header.producerId,
    });
  }
  let recordsMaxTimestampMs = header.maxTimestampMs;
  if (rules.verifyRecords) {
    // The framing, the codec and the inflation bound; the CRC was checked above (one pass).
    const { records } = decodeRecordBatch(bytes, 0, { crcVerified: true });
    recordsMaxTimestampMs = checkRecords(records, header, rules, topic);
  }
  const baseOffset = header.baseOffset;
  return {
    bytes,
    baseOffset,
    lastOffset: baseOffset + header.lastOffsetDelta,
    maxTimestampMs: header.maxTimestampMs,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    recordsMaxTimestampMs,
    timestampType: header.timestampType,
  };
}

/** Leader: exactly the records its offsets say, from baseOffset 0. Follower: compaction may have left fewer. */
function checkCounts(header: RecordBatchHeader, rules: BatchRules, topic: string): void {
  const slots = header.lastOffsetDelta + 1;
  if (rules.role === 'follower') {
    if (header.recordCount < 0 || header.recordCount > slots) {
      throw new InvalidRecordError(`batch at ${header.baseOffset} claims ${header.recordCount} records in ${slots} offsets`, {
        topic,
        baseOffset: header.baseOffset,
      });
    }
    return;
  }
  if (header.baseOffset !== 0)
    throw new InvalidRecordError(`a batch sent to a leader must have baseOffset 0, not ${header.baseOffset}`, {
      topic,
      baseOffset: header.baseOffset,
    });
  if (header.recordCount < 1 || header.recordCount !== slots) {
    throw new InvalidRecordError(`batch has ${header.recordCount} records but lastOffsetDelta ${header.lastOffsetDelta}`, {
      topic,
      recordCount: header.recordCount,
    });
  }
}

/**
 * The key rule, for decoded records and for the decoded path's inputs before they are encoded (so
 * that path need not decode what it just encoded): a compacted topic keeps the latest record per
 * key, so a keyless record could never be compacted away. Control batches carry no user keys.
 */
export function checkRecordKeys(records: readonly { key: Buffer | null }[], rules: BatchRules, isControl: boolean, topic: string): void {
  if (!rules.requireKeys || isControl) return;
  for (let index = 0; index < records.length; index++) {
    if (records[index]!.key === null) throw new InvalidRecordError('compacted topics require a key on every record', { topic, index });
  }
}

/** Offset deltas 0 … n−1 and keys where compaction needs them; returns the largest record timestamp. */
function checkRecords(records: BatchRecord[], header: RecordBatchHeader, rules: BatchRules, topic: string): number {
  checkRecordKeys(records, rules, header.isControl, topic);
  let maxTimestampMs = -Infinity;
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (record.offset !== header.baseOffset + index) {
      throw new InvalidRecordError(`record ${index} has offset delta ${record.offset - header.baseOffset}, not ${index}`, { topic, index });
    }
    if (record.timestampMs > maxTimestampMs) maxTimestampMs = record.timestampMs;
  }
  return maxTimestampMs;
}

function corrupt(position: number, reason: string): CorruptRecordError {
  return new CorruptRecordError(`invalid batch at byte ${position} of an append: ${reason}`, { position });
}
