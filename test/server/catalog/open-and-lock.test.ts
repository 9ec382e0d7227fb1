import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Catalog } from '../../../server/catalog/catalog';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import { prepareDatabase } from '../../../server/catalog/sqlite-database';
import { partitionsOf, topicSpec } from './catalog.contract';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
/** Short, so the lock tests finish quickly; the value only bounds how long a call waits. */
const BUSY_TIMEOUT_MS = 150;

function overwrite(file: string, position: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}

describe('opening the catalog', () => {
  it('sets WAL, synchronous=FULL and foreign keys on the connection it prepares', () => {
    const file = join(tempDir(), 'catalog.db');
    const db = new Database(file);
    prepareDatabase(db, file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a file whose SQLite header is damaged, naming the file', async () => {
    const file = join(tempDir(), 'catalog.db');
    const catalog = await openCatalog({ databaseFile: file });
    await catalog.createTopic(topicSpec('orders', 1), partitionsOf('orders', 1));
    await catalog.close();
    overwrite(file, 0, Buffer.from('definitely not SQLite'));
    await expect(openCatalog({ databaseFile: file })).rejects.toMatchObject({
      code: 'CATALOG_CORRUPT',
      message: expect.stringContaining(file),
      details: { databaseFile: file },
    });
  });

  it('refuses a file whose b-tree pages are scribbled over, naming the file', async () => {
    const file = join(tempDir(), 'catalog.db');
    const catalog = await openCatalog({ databaseFile: file });
    for (let t = 0; t < 20; t += 1) {
      await catalog.createTopic(topicSpec(`topic-${t}`, 8, { 'retention.ms': String(t) }), partitionsOf(`topic-${t}`, 8));
    }
    await catalog.close();
    const pageSizeBytes = readFileSync(file).readUInt16BE(16);
    const pageCount = statSync(file).size / pageSizeBytes;
    expect(pageCount).toBeGreaterThan(4);
    // Scribble over every page but the first (the schema): b-tree headers and cells.
    for (let page = 1; page < pageCount; page += 1) overwrite(file, page * pageSizeBytes + 8, Buffer.alloc(64, 0xa5));
    const error = await openCatalog({ databaseFile: file }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CATALOG_CORRUPT', details: { databaseFile: file } });
    expect((error as Error).message).toContain(file);
  });

  it('refuses a file that reads fine but fails quick_check, quoting what it found', async () => {
    const file = join(tempDir(), 'catalog.db');
    await (await openCatalog({ databaseFile: file })).close();
    // Header bytes 32..39: first freelist trunk page, freelist page count. Pointing the freelist
    // at page 2, which a table uses, breaks no read path but fails the structural check.
    const header = Buffer.alloc(8);
    header.writeUInt32BE(2, 0);
    header.writeUInt32BE(1, 4);
    overwrite(file, 32, header);
    await expect(openCatalog({ databaseFile: file })).rejects.toMatchObject({
      code: 'CATALOG_CORRUPT',
      message: expect.stringMatching(/^catalog database .*catalog\.db fails PRAGMA quick_check: \S/),
      details: { databaseFile: file, problems: expect.arrayContaining([expect.stringMatching(/Freelist|page|index/)]) },
    });
  });

  it('creates the database file and its missing folders', async () => {
    const file = join(tempDir(), 'data', 'node-1', 'catalog.db');
    const catalog = await openCatalog({ databaseFile: file });
    expect(await catalog.listTopics()).toEqual([]);
    await catalog.close();
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  it('releases the file on close: the WAL is checkpointed and removed', async () => {
    const file = join(tempDir(), 'catalog.db');
    const catalog = await openCatalog({ databaseFile: file });
    await catalog.upsertGroup({ groupId: 'g', state: 'Empty', generation: 0, protocolType: null, protocol: null, updatedAtMs: 1 });
    expect(existsSync(`${file}-wal`)).toBe(true);
    await catalog.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('rejects a busy timeout that is not a non-negative integer', async () => {
    await expect(openCatalog({ databaseFile: join(tempDir(), 'c.db'), busyTimeoutMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe('a database locked by another connection', () => {
  let catalog: Catalog;
  let other: Database.Database;
  let file: string;

  beforeEach(async () => {
    file = join(tempDir(), 'catalog.db');
    catalog = await openCatalog({ databaseFile: file, busyTimeoutMs: BUSY_TIMEOUT_MS });
    await catalog.createTopic(topicSpec('orders', 2), partitionsOf('orders', 2));
    await catalog.commitOffsets('g', [{ topic: 'orders', partition: 0, offset: 1, metadata: null, commitTimeMs: 1 }]);
    other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
  });

  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await catalog.close();
  });

  it('fails an offset commit with the retriable CATALOG_BUSY and applies none of it', async () => {
    const batch = [0, 1].map((partition) => ({ topic: 'orders', partition, offset: 99, metadata: 'x', commitTimeMs: 2 }));
    await expect(catalog.commitOffsets('g', batch)).rejects.toMatchObject({ code: 'CATALOG_BUSY', retriable: true });
    other.exec('ROLLBACK');
    expect((await catalog.fetchOffsets('g')).map((o) => o.offset)).toEqual([1]);
  });

  it('fails a multi-row topic change with CATALOG_BUSY and leaves no trace of it', async () => {
    await expect(catalog.createTopic(topicSpec('payments', 4, { a: 'b' }), partitionsOf('payments', 4))).rejects.toMatchObject({
      code: 'CATALOG_BUSY',
    });
    await expect(catalog.deleteTopic('orders')).rejects.toMatchObject({ code: 'CATALOG_BUSY' });
    await expect(catalog.addPartitions('orders', partitionsOf('orders', 1, 2))).rejects.toMatchObject({ code: 'CATALOG_BUSY' });
    other.exec('ROLLBACK');
    expect((await catalog.listTopics()).map((t) => [t.name, t.partitionCount])).toEqual([['orders', 2]]);
    expect(await catalog.listPartitions(['orders', 'payments'])).toHaveLength(2);
    expect(await catalog.fetchOffsets('g')).toHaveLength(1);
  });

  it('serves the calls that follow once the lock is released', async () => {
    await expect(
      catalog.upsertGroup({ groupId: 'g', state: 'Empty', generation: 0, protocolType: null, protocol: null, updatedAtMs: 1 }),
    ).rejects.toMatchObject({ code: 'CATALOG_BUSY' });
    other.exec('ROLLBACK');
    await catalog.commitOffsets('g', [{ topic: 'orders', partition: 1, offset: 5, metadata: null, commitTimeMs: 3 }]);
    expect((await catalog.fetchOffsets('g')).map((o) => o.offset)).toEqual([1, 5]);
  });

  it('refuses to open while another connection holds the write lock of a file that needs migrating', async () => {
    other.exec('ROLLBACK');
    other.exec('DELETE FROM _prisma_migrations');
    other.exec('BEGIN EXCLUSIVE');
    await expect(openCatalog({ databaseFile: file, busyTimeoutMs: BUSY_TIMEOUT_MS })).rejects.toMatchObject({
      code: 'CATALOG_BUSY',
    });
  });
});
