/**
 * The data dir's lock inside one process (server/data-dir-lock.ts, server/main.ts): exclusive
 * between connections of the same process too, released by close() and by a start that fails
 * half-way, and taken before the catalog or the logs are opened. Between processes and across
 * kill -9: test/server/cli/data-dir-lock.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { lockDataDir } from '../../server/data-dir-lock';
import { DataDirLockedError } from '../../server/errors';
import { startNode, type RunningNode } from '../../server/main';

const quiet = { logger: pino({ level: 'silent' }) };
const start = (dataDir: string, port = '0') => startNode(loadConfig(['--port', port, '--data-dir', dataDir], {}), quiet);

describe('the data dir lock', () => {
  let dirs: string[];
  const nodes: RunningNode[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'logway-lock-'));
    dirs.push(dir);
    return dir;
  };
  beforeEach(() => {
    dirs = [];
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('is exclusive within one process, and free again once released', async () => {
    const dataDir = path.join(await tempDir(), 'not-yet-there');
    const lock = lockDataDir(dataDir);
    expect(readdirSync(dataDir)).toEqual(['.lock']);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    lock.release();
    lock.release();
    lockDataDir(dataDir).release();
    expect(readdirSync(dataDir)).toEqual(['.lock']); // no journal or WAL beside it
  });

  it('refuses a .lock that is not its own (content in it), naming the file, and leaves it as it was', async () => {
    const dataDir = await tempDir();
    writeFileSync(path.join(dataDir, '.lock'), 'pid 4242\n');
    expect(() => lockDataDir(dataDir)).toThrow(`${path.join(dataDir, '.lock')} is not a lock file a logway node wrote`);
    expect(readFileSync(path.join(dataDir, '.lock'), 'utf8')).toBe('pid 4242\n');
  });

  it('is exclusive against an SQLite open of the file in another process', async () => {
    const dataDir = await tempDir();
    const lock = lockDataDir(dataDir);
    const probe = `const D = require('better-sqlite3'); const db = new D(process.argv[1], { timeout: 0 });
      try { db.prepare('SELECT count(*) FROM sqlite_master').get(); process.stdout.write('read'); } catch (e) { process.stdout.write(e.code); }`;
    const run = () =>
      execFileSync(process.execPath, ['-e', probe, path.join(dataDir, '.lock')], {
        cwd: path.resolve(__dirname, '../..'),
        encoding: 'utf8',
      });
    expect(run()).toBe('SQLITE_BUSY');
    lock.release();
    expect(run()).toBe('read');
  });

  it('refuses a second node on the same dir before it opens anything, and the first serves on', async () => {
    const dataDir = await tempDir();
    nodes.push(await start(dataDir));
    const before = readdirSync(dataDir).sort();
    await expect(start(dataDir)).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
      details: { dataDir, lockFile: path.join(dataDir, '.lock') },
    });
    expect(readdirSync(dataDir).sort()).toEqual(before);
    const response = await fetch(nodes[0]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ topics { name } }"}',
    });
    expect(response.status).toBe(200);
  });

  it('takes the lock before the catalog and the logs exist', async () => {
    const dataDir = await tempDir();
    const holder = lockDataDir(dataDir);
    await expect(start(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    expect(existsSync(path.join(dataDir, 'catalog.db'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'logs'))).toBe(false);
    holder.release();
  });

  it('is released by close() and by a start that fails after taking it (here: the port is in use)', async () => {
    const dataDir = await tempDir();
    const node = await start(dataDir);
    await node.close();
    const again = await start(dataDir);
    nodes.push(again);

    const otherDir = await tempDir();
    await expect(start(otherDir, String(again.port))).rejects.toMatchObject({ code: 'EADDRINUSE' });
    lockDataDir(otherDir).release();
    // And what the failed start had opened was closed cleanly: the logs wrote their clean-shutdown marker.
    expect(existsSync(path.join(otherDir, 'logs', '.kafka_cleanshutdown'))).toBe(true);
  });
});
