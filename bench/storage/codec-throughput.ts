/**
 * Codec throughput: encode, decode and CRC-32C of RecordBatch v2 in memory, for 100 B and 1 KiB
 * records in batches of 1,000 (no disk). Tells how much of the append/read budget the codec
 * takes. Run: node dist/bench/storage/codec-throughput.js [--gib 0.25]
 */
import { crc32c, CRC32C_IMPLEMENTATION, crc32cSoftware, decodeRecordBatch, encodeRecordBatch, LogRecordInput } from '../../storage';
import { FigurePrinter, mbPerSecond, parseBenchOptions, secondsSince } from './bench-options';

const RECORDS_PER_BATCH = 1000;

function makeRecords(valueBytes: number): LogRecordInput[] {
  const value = Buffer.alloc(valueBytes, 0x61);
  return Array.from({ length: RECORDS_PER_BATCH }, (_, index) => ({
    key: null,
    value,
    headers: [],
    timestampMs: 1_700_000_000_000 + index,
  }));
}

function main(): void {
  const options = parseBenchOptions(process.argv.slice(2), 0.25, 'codec');
  const printer = new FigurePrinter('codec', options);
  for (const valueBytes of [100, 1024]) {
    for (const compression of ['none', 'gzip'] as const) {
      const records = makeRecords(valueBytes);
      const sample = encodeRecordBatch(records, { baseOffset: 0, compression });
      const logicalBytes = RECORDS_PER_BATCH * valueBytes;
      const rounds = Math.max(3, Math.ceil(options.bytes / logicalBytes / (compression === 'gzip' ? 8 : 1)));
      for (let round = 0; round < 20; round++) decodeRecordBatch(encodeRecordBatch(records, { baseOffset: 0, compression })); // warm up the JIT
      let start = process.hrtime.bigint();
      for (let round = 0; round < rounds; round++) encodeRecordBatch(records, { baseOffset: round * RECORDS_PER_BATCH, compression });
      const encodeSeconds = secondsSince(start);
      const scratch = Buffer.allocUnsafe(sample.length + 1024);
      start = process.hrtime.bigint();
      for (let round = 0; round < rounds; round++)
        encodeRecordBatch(records, { baseOffset: round * RECORDS_PER_BATCH, compression }, () => scratch);
      const reusedSeconds = secondsSince(start);
      start = process.hrtime.bigint();
      for (let round = 0; round < rounds; round++) decodeRecordBatch(sample);
      const decodeSeconds = secondsSince(start);
      const label = `${valueBytes} B records, ${compression}`;
      printer.add(label, 'encode (value bytes)', mbPerSecond(rounds * logicalBytes, encodeSeconds), 'MB/s');
      printer.add(label, 'encode records', (rounds * RECORDS_PER_BATCH) / encodeSeconds, 'records/s');
      printer.add(label, 'encode into reused memory', mbPerSecond(rounds * logicalBytes, reusedSeconds), 'MB/s');
      printer.add(label, 'decode (value bytes)', mbPerSecond(rounds * logicalBytes, decodeSeconds), 'MB/s');
      printer.add(label, 'batch size', sample.length, 'bytes');
    }
  }
  const block = Buffer.alloc(16 * 1024 * 1024, 0x42);
  for (const [name, fn] of [
    [`crc32c (${CRC32C_IMPLEMENTATION})`, crc32c],
    ['crc32c (software)', crc32cSoftware],
  ] as const) {
    const rounds = Math.max(2, Math.ceil(options.bytes / block.length / (name.includes('software') ? 4 : 1)));
    const start = process.hrtime.bigint();
    for (let round = 0; round < rounds; round++) fn(block);
    printer.add(name, 'checksum rate', mbPerSecond(rounds * block.length, secondsSince(start)), 'MB/s');
  }
}

main();
