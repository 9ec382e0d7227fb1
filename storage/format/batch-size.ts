/**
 * The exact size of the uncompressed RecordBatch that `encodeRecordBatch` would write for these
 * records (header + every record's length varint and body), without encoding it. The broker uses
 * it to refuse an over-large call before anything is appended, so a produce call is all or
 * nothing per partition. Pure function; validates record shapes as the encoder does.
 */
import { recordBodySizeBytes, type LogRecordInput } from './record';
import { BATCH_HEADER_SIZE_BYTES } from './record-batch-header';
import { varintSizeBytes } from './varint';

export function uncompressedBatchSizeBytes(records: readonly LogRecordInput[]): number {
  if (records.length === 0) return BATCH_HEADER_SIZE_BYTES;
  const baseTimestampMs = records[0]!.timestampMs;
  let size = BATCH_HEADER_SIZE_BYTES;
  for (let offsetDelta = 0; offsetDelta < records.length; offsetDelta++) {
    const record = records[offsetDelta]!;
    const body = recordBodySizeBytes(record, record.timestampMs - baseTimestampMs, offsetDelta);
    size += varintSizeBytes(body) + body;
  }
  return size;
}
