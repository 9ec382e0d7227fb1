/**
 * `npm start`, the README's own command, under the signals it really gets:
 * - a service manager's or container runtime's SIGTERM goes to npm's pid. npm 11 forwards SIGTERM
 *   and SIGINT to its child, but that child was `sh -c "node …"`, and dash dies of SIGTERM without
 *   passing it on, so the node kept serving as an orphan; the script's `exec` makes the node npm's child.
 * - Ctrl-C in a terminal sends SIGINT to the whole process group, so the node gets it twice (the
 *   terminal's and npm's copy), which must still be one clean shutdown (server/cli/stop-signals.ts).
 * Runs the built dist/ (what `npm start` runs): rebuild with `npx tsc -p tsconfig.json` after changing server/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir } from '../../../server/data-dir-lock';
import { freePort } from '../../support/free-port';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (const started = Date.now(); !predicate();) {
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
  let npm: ChildProcess | null = null;
  let nodePid: number | null = null;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-npm-start-'));
  });
  afterEach(async () => {
    if (npm && npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    if (nodePid !== null && alive(nodePid)) process.kill(nodePid, 'SIGKILL');
    npm = null;
    nodePid = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs `npm start -- --port P --data-dir D` in its own process group (as a terminal's foreground job is). */
  async function npmStart(): Promise<{ npm: ChildProcess; port: number; output: () => string; exited: Promise<number | null> }> {
    const port = await freePort();
    const child = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    npm = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => output.includes('"logway node started"') || child.exitCode !== null, 'the node to start', 60_000);
    const started = output.split('\n').find((line) => line.includes('"logway node started"'));
    if (!started) throw new Error(`npm start exited before the node served: ${output}`);
    nodePid = (JSON.parse(started) as { pid: number }).pid;
    expect(nodePid).not.toBe(child.pid);
    return { npm: child, port, output: () => output, exited };
  }

  async function expectStoppedCleanly(port: number, output: () => string): Promise<void> {
    await until(() => !alive(nodePid!), 'the node process to exit');
    await until(() => output().includes('"logway node stopped cleanly"'), `the clean-stop line in ${output()}`, 5_000);
    expect(await portRefuses(port)).toBe(true);
    expect(existsSync(path.join(dataDir, 'logs', '.kafka_cleanshutdown'))).toBe(true);
    lockDataDir(dataDir).release();
  }

  it('stops the node cleanly when the npm process is sent SIGTERM: no orphan, port closed, lock released', async () => {
    const run = await npmStart();
    run.npm.kill('SIGTERM');
    await run.exited;
    await expectStoppedCleanly(run.port, run.output);
  }, 120_000);

  it('stops the node cleanly on Ctrl-C (SIGINT to the process group: the node gets it twice), and npm exits 0', async () => {
    const run = await npmStart();
    process.kill(-run.npm.pid!, 'SIGINT');
    expect(await run.exited).toBe(0);
    await expectStoppedCleanly(run.port, run.output);
  }, 120_000);
});
