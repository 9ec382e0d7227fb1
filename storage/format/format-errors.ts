/**
 * Errors the codec raises beyond storage/errors.ts (same CodedError model, Kafka error names).
 * Concurrency: plain classes, no state.
 */
import { CodedError, RecordTooLargeError } from '../errors';

/** A batch compressed with a codec this build cannot (de)compress: snappy, lz4 and zstd have no
 *  Node 20 built-in. Kafka's UNSUPPORTED_COMPRESSION_TYPE (error 76). */
export class UnsupportedCompressionTypeError extends CodedError {
  readonly code = 'UNSUPPORTED_COMPRESSION_TYPE';
  constructor(compression: string) {
    super(`compression ${compression} is not supported (supported: none, gzip)`, { compression });
  }
}

/** A compressed batch whose records inflate past the caller's bound: a zip bomb or a batch too
 *  large to hold in memory. Same code as RecordTooLargeError, with a message that says so. */
export class DecompressedTooLargeError extends RecordTooLargeError {
  constructor(maxDecompressedBytes: number) {
    super(maxDecompressedBytes + 1, maxDecompressedBytes);
    this.message = `compressed records inflate past the ${maxDecompressedBytes}-byte decompression bound`;
  }
}
