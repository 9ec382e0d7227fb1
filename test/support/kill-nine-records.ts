/**
 * The records the kill -9 writer appends, and the digest both sides compute: the writer prints
 * `ACK <baseOffset> <lastOffset> <sha256>` once append() resolves, and the test recomputes the
 * digest from the batch it reads back after recovery. The digest covers every record's key,
 * value, headers and timestamp with length prefixes, so any lost, torn or altered byte shows.
 */
import { createHash } from 'node:crypto';
import type { LogRecordInput } from '../../storage';

export const KILL_NINE_TOPIC = 'kill-nine';
/** Small segments so kills land around rolls too: 1 MiB ≈ 8 batches of ~120 KiB. */
export const KILL_NINE_SEGMENT_BYTES = 1024 * 1024;

/** Batch n of a run: 1–200 records of 0–1,200 bytes, a null key now and then, one header. */
export function killNineBatch(run: number, batchIndex: number): LogRecordInput[] {
  const count = 1 + ((batchIndex * 37 + run * 11) % 200);
  return Array.from({ length: count }, (_, index) => {
    const size = (batchIndex * 131 + index * 17) % 1201;
    const fill = (run * 31 + batchIndex * 7 + index) % 251;
    return {
      key: index % 9 === 0 ? null : Buffer.from(`r${run}-b${batchIndex}-k${index % 50}`),
      value: Buffer.alloc(size, fill),
      headers: [{ key: 'run', value: Buffer.from(String(run)) }],
      timestampMs: 1_700_000_000_000 + batchIndex * 1000 + index,
    };
  });
}

export function recordsDigest(records: readonly Omit<LogRecordInput, 'offsetDelta'>[]): string {
  const hash = createHash('sha256');
  const field = (bytes: Buffer | null): void => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(bytes === null ? -1 : bytes.length);
    hash.update(length);
    if (bytes !== null) hash.update(bytes);
  };
  for (const record of records) {
    field(Buffer.from(String(record.timestampMs)));
    field(record.key);
    field(record.value);
    for (const header of record.headers) {
      field(Buffer.from(header.key));
      field(header.value);
    }
  }
  return hash.digest('hex');
}

/** The idempotent variant (kill-nine-idempotent-writer.ts): its producer id, and segments small enough to roll (and snapshot) often. */
export const IDEMPOTENT_KILL_NINE_PRODUCER_ID = 42;
export const IDEMPOTENT_KILL_NINE_SEGMENT_BYTES = 64 * 1024;
