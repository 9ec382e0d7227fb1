/**
 * FileSystem: every byte storage/ reads or writes goes through this interface, so tests can swap
 * in a fault-injecting implementation (test/support/faulty-file-system.ts) and count fsyncs.
 * NodeFileSystem is the real one: `fs.promises`, so reads, writes and fsyncs run on the libuv
 * thread pool and never block the event loop (docs/RELIABILITY.md §2.3 rule 8).
 *
 * Durability contract the log relies on: `sync()` makes a file's data and size durable;
 * `fsyncDir()` makes creates, renames and unlinks inside a directory durable. An error from
 * either is fatal to the caller (never retried: after a failed fsync Linux may drop the dirty
 * pages and report success next time — "fsyncgate").
 *
 * Concurrency: a FileHandle allows concurrent positional reads and writes to disjoint ranges.
 */
import { readFile as readFileWithCallback } from 'node:fs';
import { promisify } from 'node:util';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

const readFileCallback = promisify(readFileWithCallback);

export interface FileStat {
  sizeBytes: number;
  isDirectory: boolean;
  mtimeMs: number;
}

/** Space on the volume holding a path (statfs). */
export interface VolumeSpace {
  /** Size of the volume, in bytes (`f_blocks × f_bsize`). */
  totalBytes: number;
  /** Bytes an unprivileged process may still write (`f_bavail × f_bsize`: excludes root-reserved blocks). */
  availableBytes: number;
}

export interface FileHandle {
  readonly path: string;
  /** Reads up to `length` bytes at `position` into `buffer[offset…]`; returns the count read (short at EOF). */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** Writes all of `buffer` at `position`. */
  write(buffer: Buffer, position: number): Promise<void>;
  /** Writes all buffers back to back starting at `position` (one syscall where the OS allows). */
  writev(buffers: Buffer[], position: number): Promise<void>;
  /** Makes the file's data and size durable (fdatasync). */
  sync(): Promise<void>;
  truncate(lengthBytes: number): Promise<void>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export type OpenMode = 'read' | 'readWrite' | 'create';

export interface FileSystem {
  /** 'read': existing file read-only; 'readWrite': existing file; 'create': create if missing, keep contents. */
  open(filePath: string, mode: OpenMode): Promise<FileHandle>;
  readFile(filePath: string): Promise<Buffer>;
  /** Creates or replaces `filePath` with `data` (not durable by itself: callers fsync). */
  writeFile(filePath: string, data: Buffer): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(filePath: string): Promise<void>;
  /** Removes a directory tree (used after it was renamed to a `-delete` name). */
  removeTree(dirPath: string): Promise<void>;
  readdir(dirPath: string): Promise<string[]>;
  mkdir(dirPath: string): Promise<void>;
  /** null when the path does not exist. */
  stat(filePath: string): Promise<FileStat | null>;
  fsyncDir(dirPath: string): Promise<void>;
  /** Space on the volume that holds `dirPath` (one statfs; storage/log/free-space-guard.ts caches it). */
  statfs(dirPath: string): Promise<VolumeSpace>;
}

class NodeFileHandle implements FileHandle {
  constructor(
    readonly path: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    let total = 0;
    while (total < length) {
      const { bytesRead } = await this.handle.read(buffer, offset + total, length - total, position + total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return total;
  }

  async write(buffer: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, written, buffer.length - written, position + written);
      written += bytesWritten;
    }
  }

  async writev(buffers: Buffer[], position: number): Promise<void> {
    if (buffers.length === 1) return this.write(buffers[0]!, position);
    const totalBytes = buffers.reduce((sum, b) => sum + b.length, 0);
    const { bytesWritten } = await this.handle.writev(buffers, position);
    if (bytesWritten === totalBytes) return;
    // A short writev (rare: signals, huge vectors): finish the rest with plain writes.
    let skipped = bytesWritten;
    let at = position + bytesWritten;
    for (const b of buffers) {
      if (skipped >= b.length) {
        skipped -= b.length;
        continue;
      }
      const rest = b.subarray(skipped);
      skipped = 0;
      await this.write(rest, at);
      at += rest.length;
    }
  }

  /**
   * fdatasync: flushes the data and the metadata needed to read it back (the size), not mtime —
   * all the log relies on, and one journal commit less per append than fsync on ext4/xfs.
   */
  sync(): Promise<void> {
    return this.handle.datasync();
  }
  truncate(lengthBytes: number): Promise<void> {
    return this.handle.truncate(lengthBytes);
  }
  async sizeBytes(): Promise<number> {
    return (await this.handle.stat()).size;
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

const OPEN_FLAGS: Record<OpenMode, string> = { read: 'r', readWrite: 'r+', create: 'a+' };

export class NodeFileSystem implements FileSystem {
  async open(filePath: string, mode: OpenMode): Promise<FileHandle> {
    if (mode === 'create') {
      // 'a+' would force every write to the end (O_APPEND ignores positions on Linux), so create
      // with 'a' then reopen 'r+' for positional writes.
      await (await fsp.open(filePath, 'a')).close();
      return new NodeFileHandle(filePath, await fsp.open(filePath, 'r+'));
    }
    return new NodeFileHandle(filePath, await fsp.open(filePath, OPEN_FLAGS[mode]));
  }
  readFile(filePath: string): Promise<Buffer> {
    // The callback form: its open/fstat/read/close chain runs without a FileHandle and a promise
    // per step — about 3× faster than fs.promises.readFile for the small files read per
    // partition at start-up (partition.metadata, checkpoints); the same errors (ENOENT …).
    return readFileCallback(filePath);
  }
  writeFile(filePath: string, data: Buffer): Promise<void> {
    return fsp.writeFile(filePath, data);
  }
  rename(from: string, to: string): Promise<void> {
    return fsp.rename(from, to);
  }
  unlink(filePath: string): Promise<void> {
    return fsp.unlink(filePath);
  }
  removeTree(dirPath: string): Promise<void> {
    return fsp.rm(dirPath, { recursive: true, force: true });
  }
  readdir(dirPath: string): Promise<string[]> {
    return fsp.readdir(dirPath);
  }
  async mkdir(dirPath: string): Promise<void> {
    await fsp.mkdir(dirPath, { recursive: true });
  }
  async stat(filePath: string): Promise<FileStat | null> {
    try {
      const s = await fsp.stat(filePath);
      return { sizeBytes: s.size, isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
  async fsyncDir(dirPath: string): Promise<void> {
    const handle = await fsp.open(path.resolve(dirPath), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  async statfs(dirPath: string): Promise<VolumeSpace> {
    const s = await fsp.statfs(dirPath);
    return { totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
