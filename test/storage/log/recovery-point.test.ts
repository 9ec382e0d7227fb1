/**
 * The recovery point is checkpointed when a segment rolls (after the sealed segment's fsync), so
 * an unclean open — the process killed without closing anything — scans only the segments from
 * the recovery point on. Bytes read at open are counted per file through a FileSystem that wraps
 * the real one; the sealed segments must not be read at all, and every acknowledged record must
 * be there afterwards.
 */
import * as path from 'node:path';
import { NodeFileSystem } from '../../../storage';
import type { FileHandle, FileSystem, OpenMode } from '../../../storage';
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { openTestLog, readAllValues, records } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

/** The real file system, counting bytes read through file handles and readFile, per path. */
class ReadCountingFileSystem extends NodeFileSystem {
  readonly bytesRead = new Map<string, number>();

  private count(filePath: string, bytes: number): void {
    this.bytesRead.set(filePath, (this.bytesRead.get(filePath) ?? 0) + bytes);
  }

  override async open(filePath: string, mode: OpenMode): Promise<FileHandle> {
    const handle = await super.open(filePath, mode);
    return {
      path: handle.path,
      read: async (buffer, offset, length, position) => {
        const read = await handle.read(buffer, offset, length, position);
        this.count(filePath, read);
        return read;
      },
      write: (buffer, position) => handle.write(buffer, position),
      writev: (buffers, position) => handle.writev(buffers, position),
      sync: () => handle.sync(),
      truncate: (lengthBytes) => handle.truncate(lengthBytes),
      sizeBytes: () => handle.sizeBytes(),
      close: () => handle.close(),
    };
  }

  override async readFile(filePath: string): Promise<Buffer> {
    const bytes = await super.readFile(filePath);
    this.count(filePath, bytes.length);
    return bytes;
  }

  bytesReadFromLogs(): Map<string, number> {
    return new Map([...this.bytesRead].filter(([filePath]) => filePath.endsWith('.log')));
  }
}

describe('recovery point checkpointed at roll', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTmpDir();
  });
  afterEach(() => removeTmpDir(dir));

  for (const [policy, flushMessages] of [
    ['fsync per append', 1],
    ['fsync off', 1_000_000],
  ] as const) {
    it(`after rolls and a kill, an unclean open scans only the active segment and finds every acknowledged record (${policy})`, async () => {
      const config = { segmentBytes: 4096, flushMessages };
      const writerFs = new FaultyFileSystem();
      const { log } = await openTestLog(dir, { fs: writerFs, config });
      for (let i = 0; i < 60; i++) await log.append(records(20, `r${i}-`), { leaderEpoch: 0 });
      const acked = log.logEndOffset;
      const segmentBases = log.segmentBaseOffsets();
      expect(segmentBases.length).toBeGreaterThanOrEqual(4);
      // "kill -9": nothing is closed, flushed or checkpointed beyond what the appends did themselves.
      await writerFs.abandon();

      const readerFs = new ReadCountingFileSystem();
      const reopened = await openTestLog(dir, { fs: readerFs, config });
      try {
        expect(reopened.manager.openedAfterCleanShutdown).toBe(false);
        expect(reopened.log.openRecovery.recoveredSegmentCount).toBe(1);
        const activeLog = path.join(dir, 'events-0', `${String(segmentBases[segmentBases.length - 1]).padStart(20, '0')}.log`);
        expect([...readerFs.bytesReadFromLogs().keys()]).toEqual([activeLog]);
        expect(reopened.log.logEndOffset).toBe(acked);
        const values = (await readAllValues(reopened.log)).map((row) => row.value);
        expect(values).toEqual(Array.from({ length: 60 }, (_, i) => records(20, `r${i}-`).map((r) => r.value!.toString())).flat());
      } finally {
        await reopened.manager.close();
      }
    });
  }

  it('after a kill before any roll, an unclean open scans the one segment and keeps every acknowledged record', async () => {
    const config = { segmentBytes: 1024 * 1024, flushMessages: 1 };
    const writerFs = new FaultyFileSystem();
    const { log } = await openTestLog(dir, { fs: writerFs, config });
    for (let i = 0; i < 10; i++) await log.append(records(20, `s${i}-`), { leaderEpoch: 0 });
    expect(log.segmentBaseOffsets()).toEqual([0]);
    await writerFs.abandon();
    const reopened = await openTestLog(dir, { config });
    try {
      expect(reopened.log.openRecovery.recoveredSegmentCount).toBe(1);
      expect(reopened.log.logEndOffset).toBe(200);
    } finally {
      await reopened.manager.close();
    }
  });
});
