/**
 * Compression codecs of a RecordBatch (attributes bits 0–2, storage/FORMAT.md §2).
 *
 * Format: with a codec, the records region (after byte 61) is one compressed stream of the
 * concatenated records. gzip is an RFC 1952 stream made by Node's zlib at level 6 (Kafka's
 * default). snappy (2), lz4 (3) and zstd (4) have no Node 20 built-in, and storage/ takes no
 * third-party codec, so they are recognised in headers but refused with
 * UnsupportedCompressionTypeError; codes 5–7 are invalid (CorruptRecordError).
 *
 * Decompression is bounded: `maxDecompressedBytes` (default 64 MiB — 64× the 1 MiB
 * max.message.bytes, generous for text that compresses 10–20×) stops a zip bomb from taking the
 * node's memory; past it → DecompressedTooLargeError (RECORD_TOO_LARGE).
 *
 * Concurrency: synchronous zlib calls on the caller's thread (a 1 MiB batch gzips in ~10 ms);
 * no shared state.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { CorruptRecordError } from '../errors';
import { DecompressedTooLargeError, UnsupportedCompressionTypeError } from './format-errors';

/** Codecs this build can write and read. */
export type Compression = 'none' | 'gzip';
/** Every codec a Kafka batch header can name. */
export type CompressionCodec = Compression | 'snappy' | 'lz4' | 'zstd';

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

const CODEC_BY_ID: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
export const COMPRESSION_ATTRIBUTE_MASK = 0x07;

export function compressionCodecId(codec: CompressionCodec): number {
  const id = CODEC_BY_ID.indexOf(codec);
  if (id < 0) throw new RangeError(`unknown compression ${String(codec)}`);
  return id;
}

/** The codec named by a batch's attributes; CorruptRecordError for the invalid ids 5–7. */
export function compressionFromAttributes(attributes: number): CompressionCodec {
  const id = attributes & COMPRESSION_ATTRIBUTE_MASK;
  const codec = CODEC_BY_ID[id];
  if (codec === undefined) throw new CorruptRecordError(`invalid compression codec id ${id} in batch attributes`, { attributes });
  return codec;
}

export function compress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipSync(data, { level: 6 });
    default:
      throw new UnsupportedCompressionTypeError(codec);
  }
}

export function decompress(codec: CompressionCodec, data: Buffer, maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gunzipBounded(data, maxDecompressedBytes);
    default:
      throw new UnsupportedCompressionTypeError(codec);
  }
}

function gunzipBounded(data: Buffer, maxDecompressedBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxDecompressedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DecompressedTooLargeError(maxDecompressedBytes);
    throw new CorruptRecordError(`gzip records do not inflate: ${(error as Error).message}`, { compression: 'gzip' });
  }
}
