import { CodedError, crc32c, decodeRecordBatch, encodeRecordBatch, readBatchHeader } from '../../../storage';
import { randomBytes, seededRandom } from './seeded-random';

/** Batches of every shape the codec writes, as mutation seeds. */
function seeds(): Buffer[] {
  const random = seededRandom(99);
  const record = (index: number) => ({
    key: index % 4 === 0 ? null : randomBytes(random, index % 9),
    value: index % 5 === 0 ? null : randomBytes(random, (index * 7) % 40),
    headers: index % 3 === 0 ? [{ key: `h${index}`, value: index % 2 ? null : randomBytes(random, 3) }] : [],
    timestampMs: 1_700_000_000_000 + index * 1000,
  });
  return [
    encodeRecordBatch([0, 1, 2, 3, 4, 5].map(record), { baseOffset: 10 }),
    encodeRecordBatch([0, 1, 2].map(record), { baseOffset: 0, compression: 'gzip' }),
    encodeRecordBatch([record(1)], { baseOffset: 5, isControl: true, isTransactional: true, producerId: 3, producerEpoch: 1 }),
    encodeRecordBatch([], { baseOffset: 7, lastOffsetDelta: 3 }),
  ];
}

/** Bytes from a peer or a disk can be anything: decoding must answer with a coded error, never crash otherwise. */
describe('storage/format > fuzz', () => {
  test('5,000 mutated batches (CRC recomputed, so the parser sees them; batchLength and magic hit too) decode or fail with a CodedError only', () => {
    const random = seededRandom(4242);
    const bases = seeds();
    const outcomes = { decoded: 0, rejected: 0 };
    for (let round = 0; round < 5000; round++) {
      const mutated = Buffer.from(bases[round % bases.length]);
      const edits = 1 + Math.floor(random() * 4);
      for (let edit = 0; edit < edits; edit++) {
        // Mostly the CRC-covered range; one edit in ten hits batchLength or magic instead.
        const at = random() < 0.1 ? 8 + Math.floor(random() * 9) : 21 + Math.floor(random() * (mutated.length - 21));
        mutated[at] = random() < 0.5 ? Math.floor(random() * 256) : mutated[at] ^ (1 << Math.floor(random() * 8));
      }
      mutated.writeUInt32BE(crc32c(mutated.subarray(21)), 17);
      try {
        readBatchHeader(mutated);
        decodeRecordBatch(mutated, 0, { maxDecompressedBytes: 1024 * 1024 });
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof CodedError)) throw new Error(`round ${round}: ${String(error)} for ${mutated.toString('hex')}`);
        outcomes.rejected++;
      }
    }
    expect(outcomes.decoded + outcomes.rejected).toBe(5000);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });
});
