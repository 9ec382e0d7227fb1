/**
 * Producer state survives a real kill -9: a child appends as one idempotent producer and is
 * SIGKILLed mid-stream, twice on the same directory. After each, the reopened log answers a
 * retry of every acknowledged batch among the producer's last 5 with its original offsets and
 * appends nothing, refuses older ones, and the log never holds one sequence twice.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_LOG_CONFIG, LogManager, readBatchHeader } from '../../storage';
import {
  IDEMPOTENT_KILL_NINE_PRODUCER_ID as PID,
  IDEMPOTENT_KILL_NINE_SEGMENT_BYTES,
  KILL_NINE_TOPIC,
  killNineBatch,
} from '../support/kill-nine-records';

const REGISTER = join(__dirname, '../support/kill-nine-register.cjs');
const WRITER = join(__dirname, '../support/kill-nine-idempotent-writer.ts');

interface Ack {
  sequence: number;
  baseOffset: number;
  lastOffset: number;
}

/** Runs the writer from `firstSequence` and kills it after `ackCount` acks (bounded by a deadline). */
function runAndKill(dataDir: string, firstSequence: number, ackCount: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, WRITER, dataDir, String(firstSequence)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let stderr = '';
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer gave ${acks.length} acks within 90 s: ${stderr}`));
    }, 90_000); // bounded, not a timing: two writers' fsyncs on a loaded 2-core CI machine can take a while
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, sequence, baseOffset, lastOffset] = line.split(' ');
      if (kind !== 'ACK') return;
      acks.push({ sequence: Number(sequence), baseOffset: Number(baseOffset), lastOffset: Number(lastOffset) });
      if (acks.length === ackCount) child.kill('SIGKILL');
    });
    child.on('exit', () => {
      clearTimeout(deadline);
      resolve(acks);
    });
  });
}

describe("storage > kill -9 of an idempotent producer's appends", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'logway-kill-nine-idem-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers retries from the rebuilt state and never stores a sequence twice', async () => {
    let firstSequence = 0;
    for (const ackCount of [300, 200]) {
      const acks = await runAndKill(dataDir, firstSequence, ackCount);
      expect(acks.length).toBeGreaterThanOrEqual(ackCount);
      const manager = await LogManager.open({ dataDir });
      try {
        const log = await manager.openLog(KILL_NINE_TOPIC, 0, { ...DEFAULT_LOG_CONFIG, segmentBytes: IDEMPOTENT_KILL_NINE_SEGMENT_BYTES });
        expect(log.segmentCount).toBeGreaterThan(1);
        const newest = log.producerState.entry(PID, Date.now())!.batches.at(-1)!.sequence;
        const acked = acks.map((a) => a.sequence);
        expect(newest).toBeGreaterThanOrEqual(Math.max(...acked)); // writes after the last ack may have landed too
        const end = log.logEndOffset;
        for (const ack of acks.filter((a) => a.sequence > newest - 5)) {
          const retry = await log.append(killNineBatch(1, ack.sequence), {
            leaderEpoch: 0,
            producerId: PID,
            producerEpoch: 0,
            baseSequence: ack.sequence,
          });
          expect(retry).toMatchObject({ baseOffset: ack.baseOffset, lastOffset: ack.lastOffset, duplicate: true });
        }
        const old = acks.find((a) => a.sequence <= newest - 5)!;
        await expect(
          log.append(killNineBatch(1, old.sequence), { leaderEpoch: 0, producerId: PID, producerEpoch: 0, baseSequence: old.sequence }),
        ).rejects.toMatchObject({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
        expect(log.logEndOffset).toBe(end);
        // Every sequence in the log at most once.
        const sequences: number[] = [];
        for (let offset = log.logStartOffset; offset < log.logEndOffset;) {
          const batches = await log.read(offset, { maxOffset: log.logEndOffset, maxBytes: 4 * 1_048_576 });
          for (const batch of batches) sequences.push(readBatchHeader(batch.bytes).baseSequence);
          offset = batches.at(-1)!.lastOffset + 1;
        }
        expect(new Set(sequences).size).toBe(sequences.length);
        firstSequence = newest + 1;
      } finally {
        await manager.close();
      }
    }
  }, 240_000);
});
