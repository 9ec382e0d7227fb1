/**
 * Transaction state survives a real kill -9 (storage/FORMAT.md §13): a child writes transactions
 * (commits and aborts) and is SIGKILLed mid-stream, twice on the same directory. After each, the
 * reopened log's aborted list holds every acknowledged ABORT and is exactly what the log's own
 * batches say (an oracle scans them), and its last stable offset is the first offset of the
 * transaction the kill left open.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  DEFAULT_LOG_CONFIG,
  decodeRecordBatch,
  LogManager,
  readControlRecordType,
  type AbortedTxn,
  type PartitionLog,
} from '../../storage';
import { TXN_KILL_NINE_SEGMENT_BYTES, TXN_KILL_NINE_TOPIC } from '../support/kill-nine-txn-writer';

const REGISTER = join(__dirname, '../support/kill-nine-register.cjs');
const WRITER = join(__dirname, '../support/kill-nine-txn-writer.ts');

interface Ack {
  producerId: number;
  type: string;
  firstOffset: number;
  markerOffset: number;
}

function runAndKill(dataDir: string, firstProducerId: number, ackCount: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, WRITER, dataDir, String(firstProducerId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer gave ${acks.length} acks within 60 s: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, producerId, type, firstOffset, markerOffset] = line.split(' ');
      if (kind !== 'TXN') return;
      acks.push({ producerId: Number(producerId), type: type!, firstOffset: Number(firstOffset), markerOffset: Number(markerOffset) });
      // Kill inside the next transaction: after its first batch is likely written, not yet its marker.
      if (acks.length === ackCount) setImmediate(() => child.kill('SIGKILL'));
    });
    child.on('exit', () => {
      clearTimeout(deadline);
      resolve(acks);
    });
  });
}

/** What the batches say: the aborted transactions and the first offsets still open. */
async function scan(log: PartitionLog): Promise<{ aborted: Omit<AbortedTxn, 'lastStableOffset'>[]; open: number[] }> {
  const openTxns = new Map<number, number>();
  const aborted: Omit<AbortedTxn, 'lastStableOffset'>[] = [];
  for (let offset = log.logStartOffset; offset < log.logEndOffset;) {
    const batches = await log.read(offset, { maxOffset: log.logEndOffset, maxBytes: 1_048_576 });
    for (const batch of batches) {
      const { header, records } = decodeRecordBatch(batch.bytes);
      if (header.isControl) {
        const first = openTxns.get(header.producerId);
        if (first === undefined) continue;
        openTxns.delete(header.producerId);
        if (readControlRecordType(records[0]!.key) === 'ABORT')
          aborted.push({ producerId: header.producerId, firstOffset: first, lastOffset: header.baseOffset });
      } else if (header.isTransactional && !openTxns.has(header.producerId)) openTxns.set(header.producerId, header.baseOffset);
    }
    offset = batches.at(-1)!.lastOffset + 1;
  }
  return { aborted, open: [...openTxns.values()] };
}

describe('storage > kill -9 while writing transactions', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'logway-kill-nine-txn-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged abort and the LSO of what the kill left open', async () => {
    const acked: Ack[] = [];
    for (const [round, ackCount] of [
      [0, 40],
      [1, 30],
    ] as const) {
      acked.push(...(await runAndKill(dataDir, 1_000 * (round + 1), ackCount)));
      const manager = await LogManager.open({ dataDir });
      try {
        const log = await manager.openLog(TXN_KILL_NINE_TOPIC, 0, { ...DEFAULT_LOG_CONFIG, segmentBytes: TXN_KILL_NINE_SEGMENT_BYTES });
        expect(log.segmentCount).toBeGreaterThan(2);
        log.updateHighWatermark(log.logEndOffset);
        const list = log.abortedTransactions(0, log.logEndOffset);
        for (const ack of acked.filter((a) => a.type === 'ABORT')) {
          expect(list).toContainEqual(
            expect.objectContaining({ producerId: ack.producerId, firstOffset: ack.firstOffset, lastOffset: ack.markerOffset }),
          );
        }
        const truth = await scan(log);
        expect(list.map(({ lastStableOffset: _, ...entry }) => entry)).toEqual(truth.aborted);
        expect(log.lastStableOffset).toBe(Math.min(log.logEndOffset, ...truth.open));
      } finally {
        await manager.close();
      }
    }
  });
});
