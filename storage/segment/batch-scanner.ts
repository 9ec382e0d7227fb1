/**
 * scanBatches: walks the record batches of one `.log` file from a byte position, reading in large
 * chunks (default 1 MiB: one read syscall per ~1 MiB instead of one per batch) and yielding a view
 * of each batch — zero-copy: `bytes` is a subarray of the chunk, and chunks are never reused, so
 * callers may keep the views. Only the 12-byte log overhead and a few header fields are parsed
 * (no per-record work); the CRC is checked when asked.
 *
 * The walk stops at `endPosition` or at the first invalid batch, and reports which: `stop` is set
 * on the scanner when iteration ends. Invalid = shorter than a batch header, a length past the end,
 * magic ≠ 2, a negative lastOffsetDelta, an offset that is not a safe integer, or (with verifyCrc)
 * a CRC mismatch. Recovery decides whether an invalid batch is a torn tail or corruption.
 *
 * Concurrency: reads only; safe alongside an appender that writes beyond `endPosition`.
 */
import type { FileHandle } from '../io/file-system';
import { isBatchCrcValid } from '../format/record-batch';
import {
  BATCH_HEADER_SIZE_BYTES,
  LAST_OFFSET_DELTA_POSITION,
  LOG_OVERHEAD_BYTES,
  MAGIC_POSITION,
  MAX_TIMESTAMP_POSITION,
  PARTITION_LEADER_EPOCH_POSITION,
  RECORD_BATCH_MAGIC,
} from '../format/record-batch-header';

export const DEFAULT_SCAN_CHUNK_BYTES = 1_048_576; // 1 MiB

export interface ScannedBatch {
  /** Byte position of the batch in the file. */
  position: number;
  sizeBytes: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestampMs: number;
  partitionLeaderEpoch: number;
  /** The whole batch (a view). */
  bytes: Buffer;
}

/** What a scanner's `select` sees of a batch before its body is read. */
export interface BatchHeaderView {
  position: number;
  sizeBytes: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestampMs: number;
}

/**
 * take: read (and CRC-check) the whole batch and yield it; skip: jump over it without reading its
 * body (a fetch offset further on); stop: end the scan here (maxOffset or maxBytes reached).
 */
export type BatchSelection = 'take' | 'skip' | 'stop';

export type ScanStop = { kind: 'end'; position: number } | { kind: 'invalid'; position: number; reason: string };

const TWO_POW_32 = 4_294_967_296;

/** int64 at `at` as a JS number, or NaN when it is not a safe integer. */
export function readInt64(buf: Buffer, at: number): number {
  const high = buf.readInt32BE(at);
  const low = buf.readUInt32BE(at + 4);
  const value = high * TWO_POW_32 + low;
  return Number.isSafeInteger(value) ? value : NaN;
}

/** null when the header at `at` (with `available` bytes in `buf` after it) is valid, else why not. */
export function checkBatchHeader(buf: Buffer, at: number, sizeLimitBytes: number): string | null {
  const batchLength = buf.readInt32BE(at + 8);
  if (batchLength < BATCH_HEADER_SIZE_BYTES - LOG_OVERHEAD_BYTES) return `batch length ${batchLength} is too small`;
  if (LOG_OVERHEAD_BYTES + batchLength > sizeLimitBytes) return `batch length ${batchLength} runs past the end of the file`;
  if (buf.readInt8(at + MAGIC_POSITION) !== RECORD_BATCH_MAGIC) return `magic ${buf.readInt8(at + MAGIC_POSITION)} is not 2`;
  if (buf.readInt32BE(at + LAST_OFFSET_DELTA_POSITION) < 0) return 'negative lastOffsetDelta';
  if (!(readInt64(buf, at) >= 0)) return 'baseOffset is not a safe non-negative integer';
  return null;
}

export class BatchScanner {
  stop: ScanStop | null = null;
  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly endPosition: number,
    private readonly options: { verifyCrc: boolean; chunkBytes?: number; select?: (header: BatchHeaderView) => BatchSelection } = {
      verifyCrc: true,
    },
  ) {}

  async *batches(): AsyncGenerator<ScannedBatch> {
    const chunkBytes = this.options.chunkBytes ?? DEFAULT_SCAN_CHUNK_BYTES;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkPosition = this.position;
    while (this.position < this.endPosition) {
      const remaining = this.endPosition - this.position;
      let at = this.position - chunkPosition;
      if (at + BATCH_HEADER_SIZE_BYTES > chunk.length) {
        if (remaining < BATCH_HEADER_SIZE_BYTES) {
          this.stop = { kind: 'invalid', position: this.position, reason: `${remaining} bytes left, shorter than a batch header` };
          return;
        }
        chunk = await this.readChunk(Math.min(remaining, chunkBytes));
        chunkPosition = this.position;
        at = 0;
        if (chunk.length < BATCH_HEADER_SIZE_BYTES) {
          this.stop = { kind: 'invalid', position: this.position, reason: 'file ends inside a batch header' };
          return;
        }
      }
      const problem = checkBatchHeader(chunk, at, remaining);
      if (problem) {
        this.stop = { kind: 'invalid', position: this.position, reason: problem };
        return;
      }
      const sizeBytes = LOG_OVERHEAD_BYTES + chunk.readInt32BE(at + 8);
      if (this.options.select) {
        const headerBaseOffset = readInt64(chunk, at);
        const selection = this.options.select({
          position: this.position,
          sizeBytes,
          baseOffset: headerBaseOffset,
          lastOffset: headerBaseOffset + chunk.readInt32BE(at + LAST_OFFSET_DELTA_POSITION),
          maxTimestampMs: readInt64(chunk, at + MAX_TIMESTAMP_POSITION),
        });
        if (selection === 'stop') {
          this.stop = { kind: 'end', position: this.position };
          return;
        }
        if (selection === 'skip') {
          this.position += sizeBytes;
          continue;
        }
      }
      if (at + sizeBytes > chunk.length) {
        chunk = await this.readChunk(Math.min(remaining, Math.max(chunkBytes, sizeBytes)));
        chunkPosition = this.position;
        at = 0;
        if (chunk.length < sizeBytes) {
          this.stop = { kind: 'invalid', position: this.position, reason: 'file ends inside a batch' };
          return;
        }
      }
      const bytes = chunk.subarray(at, at + sizeBytes);
      if (this.options.verifyCrc && !isBatchCrcValid(bytes, 0)) {
        this.stop = { kind: 'invalid', position: this.position, reason: 'CRC mismatch' };
        return;
      }
      const baseOffset = readInt64(bytes, 0);
      const batch: ScannedBatch = {
        position: this.position,
        sizeBytes,
        baseOffset,
        lastOffset: baseOffset + bytes.readInt32BE(LAST_OFFSET_DELTA_POSITION),
        maxTimestampMs: readInt64(bytes, MAX_TIMESTAMP_POSITION),
        partitionLeaderEpoch: bytes.readInt32BE(PARTITION_LEADER_EPOCH_POSITION),
        bytes,
      };
      this.position += sizeBytes;
      yield batch;
    }
    this.stop = { kind: 'end', position: this.position };
  }

  private async readChunk(lengthBytes: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(lengthBytes);
    const read = await this.handle.read(buf, 0, lengthBytes, this.position);
    return read === lengthBytes ? buf : buf.subarray(0, read);
  }
}

/**
 * One past the last batch's last offset and the largest batch max timestamp in [from, end), from
 * the headers alone (bodies are jumped over, nothing CRC-checked); null when the bytes there are
 * not whole batches. Used to confirm an index's last entry against the log.
 */
export async function scanTail(
  handle: FileHandle,
  from: number,
  end: number,
): Promise<{ nextOffset: number; maxTimestampMs: number } | null> {
  let nextOffset = -1;
  let maxTimestampMs = -1;
  const select = (header: BatchHeaderView): BatchSelection => {
    nextOffset = header.lastOffset + 1;
    if (header.maxTimestampMs > maxTimestampMs) maxTimestampMs = header.maxTimestampMs;
    return 'skip';
  };
  const scanner = new BatchScanner(handle, from, end, { verifyCrc: false, chunkBytes: 65_536, select });
  for await (const _ of scanner.batches()); // every batch is skipped: the loop only drives the scan
  return scanner.stop?.kind === 'end' && nextOffset >= 0 ? { nextOffset, maxTimestampMs } : null;
}
