/**
 * PartitionLog.read against an in-memory model on random seeded operations: appends of random
 * sizes, reads at random offsets with random byte limits, high-watermark moves, truncation, and
 * clean and unclean reopens. The seed is in the failure message.
 */
import { decodeRecordBatch, LogRecordInput } from '../../../storage';
import { openCrashableLog, type CrashableLog } from '../../support/log-builders';
import { prng, randomInt } from '../../support/prng';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

interface ModelBatch {
  baseOffset: number;
  lastOffset: number;
  sizeBytes: number;
  values: string[];
}

const CONFIG = { segmentBytes: 2_048, indexIntervalBytes: 300, flushMessages: 1_000_000 };

async function runSeed(seed: number): Promise<void> {
  const random = prng(seed);
  const dir = makeTmpDir();
  let opened: CrashableLog = await openCrashableLog(dir, { config: CONFIG });
  const model: ModelBatch[] = [];
  const fail = (message: string): never => {
    throw new Error(`seed ${seed}: ${message}`);
  };
  try {
    for (let step = 0; step < 150; step++) {
      const { log } = opened;
      const choice = random();
      if (choice < 0.5) {
        const count = 1 + randomInt(random, 6);
        const input: LogRecordInput[] = Array.from({ length: count }, (_, i) => ({
          key: Buffer.from(`k${randomInt(random, 20)}`),
          value: Buffer.from(`s${step}r${i}-${'x'.repeat(randomInt(random, 200))}`),
          headers: [],
          timestampMs: 1_000 + step,
        }));
        const result = await log.append(input, { leaderEpoch: 0, compression: random() < 0.2 ? 'gzip' : 'none' });
        const expectedBase = model.length ? model[model.length - 1]!.lastOffset + 1 : 0;
        if (result.baseOffset !== expectedBase) fail(`append got base ${result.baseOffset}, expected ${expectedBase}`);
        model.push({
          baseOffset: result.baseOffset,
          lastOffset: result.lastOffset,
          sizeBytes: result.sizeBytes,
          values: input.map((r) => r.value!.toString()),
        });
      } else if (choice < 0.8 && model.length > 0) {
        if (random() < 0.5) log.updateHighWatermark(log.logEndOffset);
        const fetchOffset = randomInt(random, log.logEndOffset + 1);
        const maxBytes = 1 + randomInt(random, 3_000);
        const maxOffset = log.highWatermark;
        const batches = await log.read(fetchOffset, { maxBytes, maxOffset });
        // Oracle: whole batches from the one containing fetchOffset, below maxOffset, within maxBytes (≥ 1 batch).
        const eligible = model.filter((b) => b.lastOffset >= fetchOffset && b.lastOffset < maxOffset);
        const expected: ModelBatch[] = [];
        let bytes = 0;
        for (const b of eligible) {
          if (expected.length > 0 && bytes + b.sizeBytes > maxBytes) break;
          expected.push(b);
          bytes += b.sizeBytes;
        }
        const got = batches.map((b) => `${b.baseOffset}-${b.lastOffset}`).join(',');
        const want = expected.map((b) => `${b.baseOffset}-${b.lastOffset}`).join(',');
        if (got !== want) fail(`read(${fetchOffset}, maxBytes ${maxBytes}, maxOffset ${maxOffset}) = [${got}], expected [${want}]`);
        for (let i = 0; i < batches.length; i++) {
          const values = decodeRecordBatch(batches[i]!.bytes).records.map((r) => r.value!.toString());
          if (values.join('|') !== expected[i]!.values.join('|')) fail(`batch ${expected[i]!.baseOffset} has other values`);
        }
      } else if (choice < 0.87 && model.length > 0) {
        const target = randomInt(random, opened.log.logEndOffset + 1);
        await opened.log.truncateTo(target);
        while (model.length && model[model.length - 1]!.lastOffset >= target) model.pop();
        const end = model.length ? model[model.length - 1]!.lastOffset + 1 : 0;
        if (opened.log.logEndOffset !== end) fail(`truncateTo(${target}) left LEO ${opened.log.logEndOffset}, expected ${end}`);
      } else if (choice < 0.93) {
        await opened.manager.close();
        opened = await openCrashableLog(dir, { config: CONFIG });
      } else {
        await opened.log.flush(); // an unclean reopen loses nothing that was written (process crash)
        await opened.crash();
        opened = await openCrashableLog(dir, { config: CONFIG });
      }
      const end = model.length ? model[model.length - 1]!.lastOffset + 1 : 0;
      if (opened.log.logEndOffset !== end) fail(`after step ${step} LEO ${opened.log.logEndOffset}, expected ${end}`);
    }
    await opened.manager.close();
  } finally {
    removeTmpDir(dir);
  }
}

describe('PartitionLog.read against an in-memory model', () => {
  it.each([1, 2, 3, 4, 5, 6])('matches the model on random operations (seed %i)', async (seed) => {
    await runSeed(seed);
  });
});
