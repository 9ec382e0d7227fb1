/**
 * The append validator on its own (storage/FORMAT.md §11): byte-exact fixtures and batches built
 * by the independent spec builder, each bad one refused with its code. Pure: no log, no files but
 * the fixtures read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_LOG_CONFIG, encodeRecordBatch, type LogConfig } from '../../../storage';
import { checkFollowerPosition, followerRules, leaderRules, validateBatches } from '../../../storage/log/batch-validator';
import { SpecBatch, specBatch } from '../format/spec-batch-builder';
import {
  COMPACTED_GAPS,
  EMPTY_AFTER_COMPACTION,
  GZIP,
  MULTI_BATCH,
  RECORD_SHAPES,
  TRANSACTIONAL_COMMIT,
} from '../format/segment-scenarios';

const fixture = (scenario: string): Buffer => {
  const dir = join(__dirname, '../../fixtures/segments', scenario);
  return readFileSync(
    join(
      dir,
      readdirSync(dir).find((name) => name.endsWith('.log'))!,
    ),
  );
};
const config = (overrides: Partial<LogConfig> = {}): LogConfig => ({ ...DEFAULT_LOG_CONFIG, ...overrides });
/** A client's batch: what a Kafka producer sends (baseOffset 0, epoch unknown). */
const client = (batch: Partial<SpecBatch> = {}): Buffer =>
  specBatch({ ...RECORD_SHAPES, baseOffset: 0, partitionLeaderEpoch: -1, ...batch });
const asLeader = (bytes: Buffer, overrides: Partial<LogConfig> = {}) =>
  validateBatches(bytes, leaderRules(config(overrides), 'bytes'), 'events');
const asFollower = (bytes: Buffer) => validateBatches(bytes, followerRules(), 'events');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded ${(error as Error).name}`;
  }
  return 'accepted';
}

describe('validateBatches as follower', () => {
  it('takes a whole segment fixture as views of the same bytes, offsets and epochs as written', () => {
    const bytes = fixture('multi-batch-segment');
    const copy = Buffer.from(bytes);
    const { batches, messageCount } = asFollower(bytes);
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.partitionLeaderEpoch])).toEqual([
      [0, 2, 0],
      [3, 4, 0],
      [5, 5, 1],
    ]);
    expect(messageCount).toBe(6);
    expect(Buffer.concat(batches.map((b) => b.bytes)).equals(bytes)).toBe(true);
    expect(batches[1]!.bytes.buffer).toBe(bytes.buffer); // views, no copy
    expect(bytes.equals(copy)).toBe(true); // and nothing changed
  });

  it('keeps what compaction left: offset gaps, fewer records than offsets, an empty batch', () => {
    const { batches } = asFollower(fixture('compacted-gaps'));
    expect(batches.map((b) => [b.baseOffset, b.lastOffset])).toEqual([
      [10, 17],
      [18, 22],
    ]);
  });

  it('keeps control batches, and batches larger than max.message.bytes (the leader accepted them)', () => {
    expect(asFollower(fixture('transactional-commit')).batches).toHaveLength(2);
    const value = Buffer.alloc(400_000, 'v'); // the codec here: the spec builder spreads bytes into arrays
    const big = encodeRecordBatch(
      [0, 1, 2].map((i) => ({ key: null, value, headers: [], timestampMs: i })),
      { baseOffset: 0, partitionLeaderEpoch: 0 },
    );
    expect(big.length).toBeGreaterThan(DEFAULT_LOG_CONFIG.maxMessageBytes);
    expect(asFollower(big).messageCount).toBe(3);
    expect(codeOf(() => asLeader(big))).toBe('RECORD_TOO_LARGE');
  });

  it.each([
    ['a CRC mismatch', fixture('crc-mismatch'), 'CORRUPT_MESSAGE'],
    ['a torn last batch', fixture('torn-tail'), 'CORRUPT_MESSAGE'],
    ['bytes shorter than a header', fixture('multi-batch-segment').subarray(0, 40), 'CORRUPT_MESSAGE'],
    ['magic 1', withByte(specBatch(MULTI_BATCH[0]!), 16, 1), 'CORRUPT_MESSAGE'],
    ['compression id 5', specBatch({ ...MULTI_BATCH[0]!, attributes: 5 }), 'CORRUPT_MESSAGE'],
    ['offsets going back', Buffer.concat([specBatch(MULTI_BATCH[1]!), specBatch(MULTI_BATCH[0]!)]), 'INVALID_RECORD'],
    [
      'overlapping batches',
      Buffer.concat([specBatch(MULTI_BATCH[0]!), specBatch({ ...MULTI_BATCH[1]!, baseOffset: 2 })]),
      'INVALID_RECORD',
    ],
    [
      'leader epochs going back',
      Buffer.concat([specBatch({ ...MULTI_BATCH[0]!, partitionLeaderEpoch: 3 }), specBatch(MULTI_BATCH[1]!)]),
      'INVALID_RECORD',
    ],
    ['more records than offsets', specBatch({ ...MULTI_BATCH[0]!, lastOffsetDelta: 1 }), 'INVALID_RECORD'],
    ['a damaged record count (CRC-covered)', withInt32(specBatch(MULTI_BATCH[1]!), 57, 1), 'CORRUPT_MESSAGE'],
  ])('refuses %s', (_what, bytes, code) => {
    expect(codeOf(() => asFollower(bytes))).toBe(code);
  });

  it('places batches at or after the log end offset, never under an older epoch than the log has', () => {
    const { batches } = asFollower(specBatch({ ...MULTI_BATCH[1]!, partitionLeaderEpoch: 4 }));
    expect(checkFollowerPosition(batches, 3, 4)).toBeNull();
    expect(checkFollowerPosition(batches, 2, 4)).toBeNull(); // a gap: the leader's log is compacted
    expect(checkFollowerPosition(batches, 4, 4)?.code).toBe('INVALID_RECORD'); // below the log end
    expect(checkFollowerPosition(batches, 3, 5)?.code).toBe('INVALID_RECORD'); // epoch 4 after 5
  });
});

describe('validateBatches as leader, for external bytes', () => {
  it('takes a client batch and reports the largest record timestamp, changing nothing', () => {
    const bytes = client();
    const copy = Buffer.from(bytes);
    const { batches, messageCount } = asLeader(bytes);
    expect([batches.length, messageCount, batches[0]!.lastOffset]).toEqual([1, 4, 3]);
    expect(batches[0]!.recordsMaxTimestampMs).toBe(RECORD_SHAPES.baseTimestamp + 34_359_738_368);
    expect(bytes.equals(copy)).toBe(true);
  });

  it('takes a gzip batch (it decodes the records to check them)', () => {
    expect(asLeader(specBatch({ ...GZIP, compressRecords: gzipSync })).messageCount).toBe(3);
  });

  it.each([
    ['a CRC mismatch', withByte(client(), 70, client()[70]! ^ 0x04), 'CORRUPT_MESSAGE'],
    ['magic 0', withByte(client(), 16, 0), 'CORRUPT_MESSAGE'],
    ['a truncated batch', client().subarray(0, 100), 'CORRUPT_MESSAGE'],
    [
      'a record running past its batch',
      client({ records: [{ ...RECORD_SHAPES.records[1]!, offsetDelta: 0 }], lastOffsetDelta: 0 }).subarray(0, -1),
      'CORRUPT_MESSAGE',
    ],
    ['snappy', client({ attributes: 2 }), 'UNSUPPORTED_COMPRESSION_TYPE'],
    ['zstd', client({ attributes: 4 }), 'UNSUPPORTED_COMPRESSION_TYPE'],
    ['a batch over max.message.bytes', client(), 'RECORD_TOO_LARGE', { maxMessageBytes: 200 }],
    ['two batches', Buffer.concat([client(), client()]), 'INVALID_RECORD'],
    ['a baseOffset other than 0', client({ baseOffset: 7 }), 'INVALID_RECORD'],
    ['lastOffsetDelta not matching the records', client({ lastOffsetDelta: 4 }), 'INVALID_RECORD'],
    ['no records', specBatch({ ...EMPTY_AFTER_COMPACTION, baseOffset: 0, lastOffsetDelta: 0 }), 'INVALID_RECORD'],
    [
      'offset deltas with a gap',
      client({ records: RECORD_SHAPES.records.map((r, i) => ({ ...r, offsetDelta: i === 3 ? 4 : i })) }),
      'INVALID_RECORD',
    ],
    ['a control batch', specBatch({ ...TRANSACTIONAL_COMMIT, baseOffset: 0 }), 'INVALID_RECORD'],
    ['a keyless record on a compacted topic', client(), 'INVALID_RECORD', { cleanupPolicy: 'compact' }],
    ['a producer id without a sequence', client({ producerId: 5, producerEpoch: 0, baseSequence: -1 }), 'INVALID_RECORD'],
  ] as [string, Buffer, string, Partial<LogConfig>?][])('refuses %s', (_what, bytes, code, overrides = {}) => {
    expect(codeOf(() => asLeader(bytes, overrides))).toBe(code);
  });

  it('accepts the same keyed batch on a compacted topic, and a control batch from an in-process encoder', () => {
    const keyed = client({ records: RECORD_SHAPES.records.map((r) => ({ ...r, key: Buffer.from('k') })) });
    expect(codeOf(() => asLeader(keyed, { cleanupPolicy: 'compact' }))).toBe('accepted');
    const marker = specBatch({ ...TRANSACTIONAL_COMMIT, baseOffset: 0 });
    expect(codeOf(() => validateBatches(marker, leaderRules(config(), 'encoded'), 'events'))).toBe('accepted');
  });

  it('skips the CRC only for bytes it is told were just encoded', () => {
    const damaged = withByte(client(), 70, client()[70]! ^ 0x04);
    expect(codeOf(() => validateBatches(damaged, leaderRules(config(), 'encoded'), 'events'))).toBe('accepted');
    expect(codeOf(() => validateBatches(damaged, leaderRules(config(), 'bytes'), 'events'))).toBe('CORRUPT_MESSAGE');
  });
});

function withByte(bytes: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = value & 0xff;
  return copy;
}

function withInt32(bytes: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeInt32BE(value, at);
  return copy;
}
