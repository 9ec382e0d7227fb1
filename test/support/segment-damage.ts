/** Finding and damaging segment files on disk for integrity tests (layout: storage/FORMAT.md §2, §5, §6, §8). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SegmentFiles {
  log: string;
  index: string;
  timeIndex: string;
}

/** Every segment but the last (the active one) of a partition directory, oldest first. */
export function sealedSegmentFiles(partitionDir: string): SegmentFiles[] {
  const logs = fs
    .readdirSync(partitionDir)
    .filter((n) => /^\d{20}\.log$/.test(n))
    .sort();
  return logs.slice(0, -1).map((name) => {
    const base = path.join(partitionDir, name.slice(0, -'.log'.length));
    return { log: `${base}.log`, index: `${base}.index`, timeIndex: `${base}.timeindex` };
  });
}

/** The partition directory holding `.log` files under `dir` (found, not named: its naming is the log manager's). */
export function findPartitionDir(dir: string): string {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (fs.readdirSync(full).some((n) => n.endsWith('.log'))) return full;
    const inner = findPartitionDirOrNull(full);
    if (inner) return inner;
  }
  throw new Error(`no partition directory under ${dir}`);
}

function findPartitionDirOrNull(dir: string): string | null {
  try {
    return findPartitionDir(dir);
  } catch {
    return null;
  }
}

/** Byte position and baseOffset of every batch in a `.log` file (from the 12-byte log overhead). */
export function batchPositions(logFile: string): { position: number; baseOffset: number }[] {
  const bytes = fs.readFileSync(logFile);
  const out: { position: number; baseOffset: number }[] = [];
  for (let at = 0; at + 12 <= bytes.length; at += 12 + bytes.readInt32BE(at + 8))
    out.push({ position: at, baseOffset: Number(bytes.readBigInt64BE(at)) });
  return out;
}

/** Overwrites the baseOffset of the batch at `position` (bytes 0..8, not covered by the CRC). */
export function patchBaseOffset(logFile: string, position: number, baseOffset: number): void {
  const bytes = fs.readFileSync(logFile);
  bytes.writeBigInt64BE(BigInt(baseOffset), position);
  fs.writeFileSync(logFile, bytes);
}
