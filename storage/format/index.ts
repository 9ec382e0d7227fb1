/**
 * The codec's surface: RecordBatch v2 encode/decode, header helpers, CRC-32C, varints,
 * compression and transaction markers. Re-exported by storage/index.ts.
 */
export * from './record-batch';
export { RECORDS_POSITION } from './record-batch-header';
export * from './batch-buffer-pool';
export * from './control-record';
export * from './crc32c';
export * from './varint';
export { compress, decompress, DEFAULT_MAX_DECOMPRESSED_BYTES, isSupportedCompression, SUPPORTED_COMPRESSIONS } from './compression';
export * from './format-errors';
