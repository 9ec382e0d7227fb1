/**
 * The codec's surface: RecordBatch v2 encode/decode, header helpers, CRC-32C, varints,
 * compression, transaction markers and a buffer pool. Re-exported by storage/index.ts.
 * Concurrency: re-exports only. Every function here is synchronous; the only module-level state is
 * scratch memory reused between calls (never held across one); a BatchBufferPool's slabs are its own.
 */
export * from './record-batch';
export { RECORDS_POSITION } from './record-batch-header';
export * from './batch-buffer-pool';
export * from './control-record';
export * from './crc32c';
export * from './varint';
export { compress, decompress, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression';
export * from './format-errors';
export { uncompressedBatchSizeBytes } from './batch-size';
