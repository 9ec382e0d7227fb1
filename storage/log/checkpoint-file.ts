/**
 * Checkpoint files in Kafka's text layout (storage/FORMAT.md "Checkpoint files"):
 *   <version>\n<entryCount>\n<entry>\n…   version 0, one entry per line, fields separated by spaces
 * Used for `leader-epoch-checkpoint` ("epoch startOffset"), `recovery-point-offset-checkpoint` and
 * `replication-offset-checkpoint` ("topic partition offset"). Written durably (tmp → fsync → rename
 * → fsync dir). Reading a missing file gives null; a malformed one (bad version, count mismatch,
 * non-integer field) gives 'corrupt' — the caller decides whether to rebuild or start from zero.
 *
 * Concurrency: callers serialize writers per file.
 */
import type { FileSystem } from '../io/file-system';
import { writeFileDurably } from '../io/durable-file';
import { readFileIfExists } from '../segment/segment-io';

const VERSION = 0;

export async function writeCheckpoint(fs: FileSystem, filePath: string, lines: string[]): Promise<void> {
  const text = `${VERSION}\n${lines.length}\n${lines.map((l) => `${l}\n`).join('')}`;
  await writeFileDurably(fs, filePath, Buffer.from(text, 'utf8'));
}

/** Each entry split into `fieldCount` fields; null when missing; 'corrupt' when malformed. */
export async function readCheckpoint(fs: FileSystem, filePath: string, fieldCount: number): Promise<string[][] | null | 'corrupt'> {
  const bytes = await readFileIfExists(fs, filePath);
  if (bytes === null) return null;
  const lines = bytes.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2 || lines[0] !== String(VERSION) || !/^\d+$/.test(lines[1]!)) return 'corrupt';
  const count = Number(lines[1]);
  if (lines.length !== count + 2) return 'corrupt';
  const entries: string[][] = [];
  for (const line of lines.slice(2)) {
    const fields = line.split(' ');
    if (fields.length !== fieldCount || fields.some((f) => f === '')) return 'corrupt';
    entries.push(fields);
  }
  return entries;
}

export function parseNonNegativeInt(text: string): number | null {
  if (!/^-?\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
