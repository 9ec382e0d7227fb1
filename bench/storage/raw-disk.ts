/**
 * The disk's own numbers, to put next to the log's: plain sequential writes through the
 * same node:fs/promises FileHandle API the log engine uses, with the same chunk size and fsync
 * cadence, so "log MB/s ÷ raw MB/s" isolates the engine's overhead (encoding, indexes, locking).
 *
 * Concurrency: one file at a time, awaited in sequence — like one producer on one partition.
 */
import { open } from 'node:fs/promises';
import { secondsSince } from './bench-options';

export interface RawResult {
  bytes: number;
  seconds: number;
}

/** Writes `totalBytes` in `chunkBytes` writes; fdatasyncs after each chunk when asked, else never. */
export async function rawSequentialWrite(
  path: string,
  totalBytes: number,
  chunkBytes: number,
  fsyncEachChunk: boolean,
): Promise<RawResult> {
  const chunk = Buffer.alloc(chunkBytes, 0x5a);
  const handle = await open(path, 'w');
  const start = process.hrtime.bigint();
  let written = 0;
  try {
    while (written < totalBytes) {
      const length = Math.min(chunkBytes, totalBytes - written);
      await handle.write(chunk, 0, length, written);
      if (fsyncEachChunk) await handle.datasync(); // fdatasync, as NodeFileSystem's FileHandle.sync() does
      written += length;
    }
  } finally {
    await handle.close();
  }
  return { bytes: written, seconds: secondsSince(start) };
}
