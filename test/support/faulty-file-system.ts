/**
 * FaultyFileSystem: a real NodeFileSystem that can be told to "crash" after N mutating steps, or
 * to fail fsyncs, and that counts every call. Used for crash-point tests (stop after step N, then
 * reopen the directory with a fresh LogManager and check the invariants), fsync-failure tests, and
 * counting fsyncs to prove group commit.
 *
 * Power loss (docs/RELIABILITY.md §2.1 "LossyFs", simplified): the file system remembers, per file
 * it touched, the size at the last fsync and whether its creation was made durable by an fsync of
 * its directory. `simulatePowerLoss()` cuts every file back to its durable size, appends a tail of
 * zeros or garbage where asked, and removes files whose creation never reached the disk. Renames
 * are treated as durable at once (optimistic — checkpoints fsync the directory right after).
 *
 * Disk space: `volumeSpace` makes statfs report a chosen (e.g. nearly full) volume; `spaceLeftBytes`
 * makes writes run out of space like a real full disk: a write past it stores what fits, then
 * throws ENOSPC. The two are independent: a guard can be shown a full disk that writes still fit on.
 *
 * A step is one mutating call: write/writev, sync, truncate, rename, unlink, removeTree, mkdir,
 * fsyncDir, writeFile, open('create'). Once crashed, EVERY call (reads too) throws
 * SimulatedCrashError — the process is dead as far as the code under test can tell. Data already
 * written stays in the files (a process crash keeps the page cache, docs/RELIABILITY.md §2.1).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { FileHandle, FileStat, FileSystem, OpenMode, VolumeSpace } from '../../storage';
import { NodeFileSystem } from '../../storage';

export class SimulatedCrashError extends Error {
  constructor(step: string) {
    super(`simulated crash before ${step}`);
  }
}

export class SimulatedIoError extends Error {
  readonly code = 'EIO';
  constructor(what: string) {
    super(`EIO: simulated I/O error in ${what}`);
  }
}

export class SimulatedNoSpaceError extends Error {
  readonly code = 'ENOSPC';
  constructor(what: string) {
    super(`ENOSPC: simulated no space left on device, write ${what}`);
  }
}

export class FaultyFileSystem implements FileSystem {
  private readonly inner = new NodeFileSystem();
  private stepsLeft = Infinity;
  crashed = false;
  failFsync = false;
  /** What statfs reports instead of the real volume (null: the real one). */
  volumeSpace: VolumeSpace | null = null;
  /** Bytes writes may still add (null: unlimited); a write past it stores what fits, then throws ENOSPC. */
  spaceLeftBytes: number | null = null;
  /** Mutating steps so far, with their descriptions (to pick crash points). */
  readonly steps: string[] = [];
  readonly calls = new Map<string, number>();
  private readonly handles = new Set<FileHandle>();
  /** Size at the last fsync, per file touched (absent: never fsynced). */
  private readonly durableSizes = new Map<string, number>();
  /** Files created through this file system whose directory was not fsynced since. */
  private readonly undurableCreates = new Set<string>();

  /** Crash before the (n+1)-th mutating step from now. */
  crashAfterSteps(n: number): void {
    this.stepsLeft = n;
  }

  /** Handles opened through this file system and not yet closed. */
  get openHandleCount(): number {
    return this.handles.size;
  }

  count(name: string): number {
    return this.calls.get(name) ?? 0;
  }
  get fsyncCount(): number {
    return this.count('sync') + this.count('fsyncDir');
  }

  /** Closes every handle left open by the "dead" code (so the tmp dir can be removed). */
  async abandon(): Promise<void> {
    for (const handle of this.handles) await handle.close().catch(() => undefined);
    this.handles.clear();
  }

  private call(name: string, detail: string, mutating: boolean): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
    if (this.crashed) throw new SimulatedCrashError(`${name} ${detail}`);
    if (!mutating) return;
    if (this.stepsLeft <= 0) {
      this.crashed = true;
      throw new SimulatedCrashError(`${name} ${detail}`);
    }
    this.stepsLeft--;
    this.steps.push(`${name} ${detail}`);
  }

  async open(filePath: string, mode: OpenMode): Promise<FileHandle> {
    this.call('open', filePath, mode === 'create');
    if (mode === 'create' && !nodeFs.existsSync(filePath)) {
      this.undurableCreates.add(filePath);
      this.durableSizes.set(filePath, 0);
    }
    const handle = await this.inner.open(filePath, mode);
    const wrapped = this.wrap(handle);
    this.handles.add(wrapped);
    return wrapped;
  }

  private wrap(handle: FileHandle): FileHandle {
    const fsys = this;
    const wrapped: FileHandle = {
      path: handle.path,
      async read(buffer, offset, length, position) {
        fsys.call('read', handle.path, false);
        return handle.read(buffer, offset, length, position);
      },
      async write(buffer, position) {
        fsys.call('write', handle.path, true);
        if (await fsys.writeWhatFits(handle, [buffer], position)) return;
        return handle.write(buffer, position);
      },
      async writev(buffers, position) {
        fsys.call('writev', handle.path, true);
        if (await fsys.writeWhatFits(handle, buffers, position)) return;
        return handle.writev(buffers, position);
      },
      async sync() {
        fsys.call('sync', handle.path, true);
        if (fsys.failFsync) throw new SimulatedIoError(`fsync ${handle.path}`);
        await handle.sync();
        fsys.durableSizes.set(handle.path, await handle.sizeBytes());
      },
      async truncate(lengthBytes) {
        fsys.call('truncate', handle.path, true);
        return handle.truncate(lengthBytes);
      },
      async sizeBytes() {
        fsys.call('size', handle.path, false);
        return handle.sizeBytes();
      },
      async close() {
        fsys.handles.delete(wrapped);
        return handle.close();
      },
    };
    return wrapped;
  }

  /** With spaceLeftBytes set: counts the bytes down; past it, writes the part that fits and throws ENOSPC. */
  private async writeWhatFits(handle: FileHandle, buffers: Buffer[], position: number): Promise<boolean> {
    if (this.spaceLeftBytes === null) return false;
    const total = buffers.reduce((sum, b) => sum + b.length, 0);
    if (total <= this.spaceLeftBytes) {
      this.spaceLeftBytes -= total;
      return false;
    }
    const fits = Buffer.concat(buffers).subarray(0, this.spaceLeftBytes);
    this.spaceLeftBytes = 0;
    if (fits.length > 0) await handle.write(fits, position);
    throw new SimulatedNoSpaceError(handle.path);
  }

  async readFile(filePath: string): Promise<Buffer> {
    this.call('readFile', filePath, false);
    return this.inner.readFile(filePath);
  }
  async writeFile(filePath: string, data: Buffer): Promise<void> {
    this.call('writeFile', filePath, true);
    return this.inner.writeFile(filePath, data);
  }
  async rename(from: string, to: string): Promise<void> {
    this.call('rename', `${from} -> ${to}`, true);
    await this.inner.rename(from, to);
    const size = this.durableSizes.get(from);
    this.durableSizes.delete(from);
    if (size !== undefined) this.durableSizes.set(to, size);
    if (this.undurableCreates.delete(from)) this.undurableCreates.add(to);
  }
  async unlink(filePath: string): Promise<void> {
    this.call('unlink', filePath, true);
    this.durableSizes.delete(filePath);
    this.undurableCreates.delete(filePath);
    return this.inner.unlink(filePath);
  }
  async removeTree(dirPath: string): Promise<void> {
    this.call('removeTree', dirPath, true);
    return this.inner.removeTree(dirPath);
  }
  async readdir(dirPath: string): Promise<string[]> {
    this.call('readdir', dirPath, false);
    return this.inner.readdir(dirPath);
  }
  async mkdir(dirPath: string): Promise<void> {
    this.call('mkdir', dirPath, true);
    return this.inner.mkdir(dirPath);
  }
  async stat(filePath: string): Promise<FileStat | null> {
    this.call('stat', filePath, false);
    return this.inner.stat(filePath);
  }
  async fsyncDir(dirPath: string): Promise<void> {
    this.call('fsyncDir', dirPath, true);
    if (this.failFsync) throw new SimulatedIoError(`fsync dir ${dirPath}`);
    await this.inner.fsyncDir(dirPath);
    for (const file of this.undurableCreates)
      if (path.dirname(file) === path.resolve(dirPath) || path.dirname(file) === dirPath) this.undurableCreates.delete(file);
  }

  async statfs(dirPath: string): Promise<VolumeSpace> {
    this.call('statfs', dirPath, false);
    return this.volumeSpace ? { ...this.volumeSpace } : this.inner.statfs(dirPath);
  }

  /**
   * The machine loses power: every file this file system touched goes back to what was fsynced,
   * plus `tail(file)` bytes (zeros, garbage) the disk may have persisted past it. Call after the
   * code under test is "dead" (crash first, or just abandon it); then reopen with a new file system.
   */
  async simulatePowerLoss(tail: (filePath: string) => Buffer = () => Buffer.alloc(0)): Promise<{ lostBytes: number }> {
    this.crashed = true;
    await this.abandon();
    let lostBytes = 0;
    for (const file of this.undurableCreates) {
      if (nodeFs.existsSync(file)) {
        lostBytes += nodeFs.statSync(file).size;
        nodeFs.unlinkSync(file);
      }
      this.durableSizes.delete(file);
    }
    for (const [file, durableSize] of this.durableSizes) {
      if (!nodeFs.existsSync(file)) continue;
      const size = nodeFs.statSync(file).size;
      if (size > durableSize) {
        lostBytes += size - durableSize;
        nodeFs.truncateSync(file, durableSize);
        const extra = tail(file);
        if (extra.length > 0) nodeFs.appendFileSync(file, extra);
      }
    }
    return { lostBytes };
  }
}
