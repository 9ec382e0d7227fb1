/**
 * What the append validator (storage/log/batch-validator.ts, storage/FORMAT.md §11) costs per
 * batch of 1,000 records, in memory (no disk), beside the encode it follows:
 *   - encode: encodeRecordBatch alone, into pooled memory (what the decoded path did before the
 *     validator existed);
 *   - encode + validate: encodeLeaderBatch = that encode + the leader's validation of encoded
 *     bytes (header checks only: no CRC, no record decoding), the produce hot path; and that
 *     validation alone ("validate encoded alone"), since the difference of two noisy figures is
 *     noisier than either;
 *   - external leader bytes: prepareLeaderBatch (CRC + one decode of the records + stamping), what
 *     appendAsLeader pays for a Kafka door's batch;
 *   - follower bytes: validateFollowerBatches (header + CRC per batch).
 * The cases run interleaved, `ROUNDS` times, best kept (a shared machine: the best run is the one
 * least disturbed). Run: node dist/bench/storage/append-validation.js [--gib 0.25]
 */
import { BatchBufferPool, DEFAULT_LOG_CONFIG, encodeRecordBatch, LogRecordInput } from '../../storage';
import { encodeLeaderBatch, prepareLeaderBatch, validateFollowerBatches } from '../../storage/log/append-batches';
import { leaderRules, validateBatches } from '../../storage/log/batch-validator';
import { FigurePrinter, parseBenchOptions } from './bench-options';

const RECORDS_PER_BATCH = 1000;
const ROUNDS = 5;

function makeRecords(valueBytes: number): LogRecordInput[] {
  const value = Buffer.alloc(valueBytes, 0x61);
  return Array.from({ length: RECORDS_PER_BATCH }, (_, index) => ({
    key: null,
    value,
    headers: [],
    timestampMs: 1_700_000_000_000 + index,
  }));
}

/** Microseconds per call of `run`, over `calls` calls. */
function microsPerCall(calls: number, run: () => void): number {
  const start = process.hrtime.bigint();
  for (let call = 0; call < calls; call++) run();
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;
}

function main(): void {
  const options = parseBenchOptions(process.argv.slice(2), 0.25, 'validation');
  const printer = new FigurePrinter('validation', options);
  const pool = new BatchBufferPool();
  const config = DEFAULT_LOG_CONFIG;
  for (const valueBytes of [100, 1024]) {
    const records = makeRecords(valueBytes);
    const sample = encodeRecordBatch(records, { baseOffset: 0, partitionLeaderEpoch: 0 });
    const calls = Math.max(50, Math.ceil(options.bytes / (RECORDS_PER_BATCH * valueBytes) / ROUNDS));
    const encodedRules = leaderRules(config, 'encoded');
    const cases: Record<string, () => void> = {
      'encode alone': () => pool.release(encodeRecordBatch(records, { baseOffset: 0, partitionLeaderEpoch: 0 }, pool.allocate)),
      'encode + validate': () => pool.release(encodeLeaderBatch(records, { leaderEpoch: 0 }, config, 0, 'bench', pool).batches[0]!.bytes),
      'validate encoded alone': () => void validateBatches(sample, encodedRules, 'bench'),
      'external leader bytes': () => void prepareLeaderBatch(sample, 0, config, 0, 'bench'),
      'follower bytes': () => void validateFollowerBatches(sample, 'bench'),
    };
    const best = new Map<string, number>();
    for (const run of Object.values(cases)) microsPerCall(20, run); // warm up the JIT
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(cases)) best.set(name, Math.min(best.get(name) ?? Infinity, microsPerCall(calls, run)));
    }
    const label = `${valueBytes} B records, 1,000 per batch`;
    for (const [name, micros] of best) printer.add(label, name, micros, 'µs per batch');
    printer.add(label, 'difference (noisy)', best.get('encode + validate')! - best.get('encode alone')!, 'µs per batch');
  }
}

main();
