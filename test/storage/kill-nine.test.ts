/**
 * The real crash test: a child process appends with the default flush policy and prints each
 * acknowledged batch; we SIGKILL it mid-stream, reopen the directory with LogManager, and every
 * acknowledged batch must be there byte for byte (same offsets, same record digest, valid CRC).
 * Four kill/recover rounds on the same directory (the last with fsync off: a process crash must
 * not lose what was written to the page cache either), each bounded to a few seconds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeRecordBatch, DEFAULT_LOG_CONFIG, LogManager } from '../../storage';
import { KILL_NINE_SEGMENT_BYTES, KILL_NINE_TOPIC, recordsDigest } from '../support/kill-nine-records';

interface Ack {
  run: number;
  baseOffset: number;
  lastOffset: number;
  digest: string;
}

const REGISTER = join(__dirname, '../support/kill-nine-register.cjs');
const WRITER = join(__dirname, '../support/kill-nine-writer.ts');
const CHILD_DEADLINE_MS = 15_000;

/** Runs one writer and kills it `killAfterMs` after its first ack (or at 40 acks); returns its acks. */
function runAndKill(
  dataDir: string,
  run: number,
  killAfterMs: number,
  fsync: 'on' | 'off',
): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, WRITER, dataDir, String(run), '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const deadline = setTimeout(() => {
      kill();
      reject(new Error(`writer run ${run} gave no acks within ${CHILD_DEADLINE_MS} ms: ${stderr}`));
    }, CHILD_DEADLINE_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, baseOffset, lastOffset, digest] = line.split(' ');
      if (kind !== 'ACK') return;
      acks.push({ run, baseOffset: Number(baseOffset), lastOffset: Number(lastOffset), digest });
      if (acks.length === 1) killTimer = setTimeout(kill, killAfterMs);
      if (acks.length >= 40) kill();
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      clearTimeout(killTimer);
      resolve({ acks, signal, stderr });
    });
  });
}

describe('storage > kill -9 during appends', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'logway-kill-nine-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('every batch acknowledged before SIGKILL is readable byte for byte after recovery, four rounds running', async () => {
    const config = { ...DEFAULT_LOG_CONFIG, segmentBytes: KILL_NINE_SEGMENT_BYTES };
    const acknowledged: Ack[] = [];
    const rounds = [
      [1, 40, 'on'],
      [2, 150, 'on'],
      [3, 5, 'on'],
      [4, 60, 'off'],
    ] as const;
    for (const [run, killAfterMs, fsync] of rounds) {
      const { acks, signal, stderr } = await runAndKill(dataDir, run, killAfterMs, fsync);
      if (signal !== 'SIGKILL') throw new Error(`writer run ${run} ended on its own (${signal}), not by SIGKILL: ${stderr}`);
      expect(acks.length).toBeGreaterThan(0);
      acknowledged.push(...acks);

      const manager = await LogManager.open({ dataDir });
      try {
        expect(manager.listLogs()).toEqual([{ topic: KILL_NINE_TOPIC, partition: 0, metadata: null }]);
        const log = await manager.openLog(KILL_NINE_TOPIC, 0, config);
        const highestAcked = Math.max(...acknowledged.map((ack) => ack.lastOffset));
        expect(log.logEndOffset).toBeGreaterThan(highestAcked);
        for (const ack of acknowledged) {
          const [batch] = await log.read(ack.baseOffset, { maxOffset: log.logEndOffset, maxBytes: 1 });
          expect([batch?.baseOffset, batch?.lastOffset]).toEqual([ack.baseOffset, ack.lastOffset]);
          const { records } = decodeRecordBatch(batch.bytes);
          if (recordsDigest(records) !== ack.digest)
            throw new Error(`run ${ack.run}: batch ${ack.baseOffset}..${ack.lastOffset} differs after recovery`);
        }
        // The recovered log is whole: contiguous offsets from 0 to its end, every batch CRC-valid.
        let expectedOffset = 0;
        while (expectedOffset < log.logEndOffset) {
          const batches = await log.read(expectedOffset, { maxOffset: log.logEndOffset, maxBytes: 4 * 1024 * 1024 });
          expect(batches.length).toBeGreaterThan(0);
          for (const batch of batches) {
            expect(batch.baseOffset).toBe(expectedOffset);
            decodeRecordBatch(batch.bytes);
            expectedOffset = batch.lastOffset + 1;
          }
        }
        expect(expectedOffset).toBe(log.logEndOffset);
      } finally {
        await manager.close();
      }
    }
    expect(new Set(acknowledged.map((ack) => ack.run))).toEqual(new Set([1, 2, 3, 4]));
  }, 60_000);
});
