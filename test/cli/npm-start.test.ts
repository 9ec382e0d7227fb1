/**
 * `npm start`, the README's own command, under a service manager's SIGTERM: the signal goes to
 * npm's pid, and the node must shut down cleanly with it, not keep serving as an orphan. npm 11
 * forwards SIGTERM to its child, but that child was `sh -c "node …"`, and dash dies of SIGTERM
 * without passing it on; the script's `exec` makes the node npm's child. Runs the built dist/
 * (what `npm start` runs): rebuild with `npx tsc -p tsconfig.json` after changing server/.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir } from '../../server/data-dir-lock';
import { freePort } from '../support/free-port';

const ROOT = path.resolve(__dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (const started = Date.now(); !predicate(); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('npm start', () => {
  let dataDir: string;
  let nodePid: number | null = null;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-npm-start-'));
  });
  afterEach(async () => {
    if (nodePid !== null && alive(nodePid)) process.kill(nodePid, 'SIGKILL');
    nodePid = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops the node cleanly when the npm process is sent SIGTERM: no orphan, port closed, lock released', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const npmExited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    try {
      await until(() => output.includes('"logway node started"') || npm.exitCode !== null, 'the node to start', 60_000);
      const started = output.split('\n').find((line) => line.includes('"logway node started"'));
      if (!started) throw new Error(`npm start exited before the node served: ${output}`);
      nodePid = (JSON.parse(started) as { pid: number }).pid;
      expect(nodePid).not.toBe(npm.pid);

      npm.kill('SIGTERM');
      await npmExited;
      await until(() => !alive(nodePid!), 'the node process to exit');
      await until(() => output.includes('"logway node stopped cleanly"'), `the clean-stop line in ${output}`, 5_000);
      expect(await portRefuses(port)).toBe(true);
      expect(existsSync(path.join(dataDir, 'logs', '.kafka_cleanshutdown'))).toBe(true);
      lockDataDir(dataDir).release();
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    }
  }, 120_000);
});
