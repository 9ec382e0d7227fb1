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

describe('logway start', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-cli-start-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startAndStop(): Promise<{ url: string; run: Promise<CliRun>; child: ChildProcess }> {
    const child = spawnCli(['start', '--port', '0', '--data-dir', dataDir]);
    child.stdin!.end();
    const run = collectRun(child, 30_000);
    const url = await startedUrl(child);
    return { url, run, child };
  }

  it('serves GraphQL, closes cleanly on SIGTERM with exit 0, and keeps its data for the next start', async () => {
    const first = await startAndStop();
    const created = await runCli(['topics', 'create', 'kept', '--partitions', '2'], { url: first.url });
    expect(created.code).toBe(0);
    expect((await runCli(['produce', 'kept', '--partition', '1'], { url: first.url, stdin: 'durable\n' })).code).toBe(0);
    first.child.kill('SIGTERM');
    const stopped = await first.run;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('"logway node stopped cleanly"');

    const second = await startAndStop();
    const consumed = await runCli(['consume', 'kept', '--from', 'earliest', '--max', '1'], { url: second.url });
    expect(consumed.stdout).toBe('durable\n');
    second.child.kill('SIGINT');
    expect((await second.run).code).toBe(0);
  });

  it('rejects an invalid flag value with a usage error and exit 2', async () => {
    const run = await runCli(['start', '--port', 'eighty', '--data-dir', dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: USAGE: port must be an integer from 0 to 65535, got "eighty"/);
  });

  it('exits 4 with one human line on stderr, and no logged stack, when the port is taken', async () => {
    const first = await startAndStop();
    const port = new URL(first.url).port;
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'logway-cli-start-'));
    try {
      const clash = await runCli(['start', '--port', port, '--data-dir', otherDir], { timeoutMs: 30_000 });
      expect(clash.code).toBe(4);
      expect(clash.stderr).toBe(
        `error: PORT_IN_USE: port ${port} is in use (127.0.0.1:${port}): stop the process listening there or pick another --port\n`,
      );
      expect(clash.stdout).not.toMatch(/"logway node failed to start"|"stack"|EADDRINUSE/);
    } finally {
      first.child.kill('SIGTERM');
      await first.run;
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
