/**
 * The data dir's lock (server/data-dir-lock.ts) between real `logway start` processes: a second
 * node on a held data dir refuses with exit 3 and one line, touching nothing in the dir; the lock
 * dies with its holder, `kill -9` included, and the next node starts and serves what was acked.
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { collectRun, runCli, spawnCli, type CliRun } from './run-cli';

/** Resolves with the node's GraphQL URL once `logway start` logged "logway node started". */
function startedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => l.includes('"logway node started"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('close', () => reject(new Error(`logway start exited before serving: ${seen}`)));
  });
}

/** Every file under dir with its size and mtime: what a refused start must leave as it was. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else entries[path.relative(dir, full)] = `${stat.size}@${stat.mtimeMs}`;
    }
  };
  walk(dir);
  return entries;
}

describe('the data dir lock between two logway processes', () => {
  let dataDir: string;
  const running: { child: ChildProcess; run: Promise<CliRun> }[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-cli-lock-'));
  });
  afterEach(async () => {
    for (const { child, run } of running.splice(0)) {
      child.kill('SIGKILL');
      await run.catch(() => undefined);
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Maintenance off for the test's length, so the holder writes nothing while the refused start runs. */
  async function start(): Promise<{ url: string; child: ChildProcess; run: Promise<CliRun> }> {
    const child = spawnCli(['start', '--port', '0', '--data-dir', dataDir, '--maintenance-interval-ms', '86400000']);
    child.stdin!.end();
    const run = collectRun(child, 60_000);
    running.push({ child, run });
    return { url: await startedUrl(child), child, run };
  }

  it('refuses a second node with exit 3 and one line, touching nothing, while the first serves on', async () => {
    const first = await start();
    expect((await runCli(['topics', 'create', 'orders', '--partitions', '1'], { url: first.url })).code).toBe(0);
    expect((await runCli(['produce', 'orders'], { url: first.url, stdin: 'one\n' })).code).toBe(0);
    const before = snapshot(dataDir);

    const second = await runCli(['start', '--port', '0', '--data-dir', dataDir], { timeoutMs: 30_000 });
    expect(second.code).toBe(3);
    expect(second.stderr).toBe(
      `error: DATA_DIR_LOCKED: data dir ${dataDir} is in use by another logway node (${path.join(dataDir, '.lock')} is locked): ` +
        'stop that node or pick another --data-dir\n',
    );
    expect(second.stdout).not.toContain('logway node started');
    expect(snapshot(dataDir)).toEqual(before);

    expect((await runCli(['produce', 'orders'], { url: first.url, stdin: 'two\n' })).code).toBe(0);
    const consumed = await runCli(['consume', 'orders', '--from', 'earliest', '--max', '2'], { url: first.url });
    expect(consumed.stdout).toBe('one\ntwo\n');
  });

  it('dies with its holder on kill -9: the next node starts on the same dir and serves what was acknowledged', async () => {
    const first = await start();
    expect((await runCli(['topics', 'create', 'orders', '--partitions', '1'], { url: first.url })).code).toBe(0);
    expect((await runCli(['produce', 'orders'], { url: first.url, stdin: 'acked\n' })).code).toBe(0);
    first.child.kill('SIGKILL');
    expect((await first.run).signal).toBe('SIGKILL');

    const next = await start();
    const consumed = await runCli(['consume', 'orders', '--from', 'earliest', '--max', '1'], { url: next.url });
    expect(consumed.stdout).toBe('acked\n');
    next.child.kill('SIGTERM');
    expect((await next.run).code).toBe(0);
  });
});
