/**
 * Lock-free reads racing appends, rolls, retention deletes, compaction swaps and truncation: a read
 * either returns valid whole batches or OffsetOutOfRangeError (its offset left the log) — never a
 * spurious corruption error or a torn batch. Bounded in count; seeded.
 */
import { decodeRecordBatch, OffsetOutOfRangeError } from '../../../storage';
import { openTestLog, record } from '../../support/log-builders';
import { prng, randomInt } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

describe('concurrent reads', () => {
  it.each(['delete', 'compact,delete'] as const)(
    'never see torn or corrupt data while the log changes under them (%s)',
    async (cleanupPolicy) => {
      const random = prng(77);
      const { manager, log, clock } = await openTestLog(tmp.path, {
        config: { segmentBytes: 1_024, retentionMs: 5_000, cleanupPolicy, flushMessages: 1_000_000 },
      });
      let writing = true;
      const errors: unknown[] = [];
      let readsDone = 0;
      const writer = (async () => {
        try {
          for (let i = 0; i < 400; i++) {
            await log.append([record(`k${i % 7}`, `v${i}`, clock.nowMs()), record(`k${(i + 3) % 7}`, `w${i}`, clock.nowMs())], {
              leaderEpoch: 0,
            });
            log.updateHighWatermark(log.logEndOffset);
            clock.advance(50);
            if (i % 40 === 39) await log.truncateTo(log.logEndOffset - 1);
            if (i % 10 === 0) await Promise.all([log.runRetention(), cleanupPolicy === 'compact,delete' ? log.compact() : null]);
          }
        } finally {
          writing = false;
        }
      })();
      const reader = async () => {
        for (let n = 0; writing && n < 5_000; n++) {
          const from = log.logStartOffset + randomInt(random, Math.max(1, log.logEndOffset - log.logStartOffset));
          try {
            const batches = await log.read(from, { maxBytes: 1 + randomInt(random, 2_000) });
            let previous = -1;
            for (const batch of batches) {
              const { records } = decodeRecordBatch(batch.bytes);
              for (const r of records) {
                expect(r.offset).toBeGreaterThan(previous);
                previous = r.offset;
              }
            }
            readsDone++;
          } catch (error) {
            if (!(error instanceof OffsetOutOfRangeError)) errors.push(error);
          }
        }
      };
      await Promise.all([writer, reader(), reader(), reader()]);
      expect(errors).toEqual([]);
      expect(readsDone).toBeGreaterThan(50);
      await manager.close();
    },
    60_000,
  );
});
