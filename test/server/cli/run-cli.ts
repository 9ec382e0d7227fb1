/**
 * Runs `logway` as a child process straight from the TypeScript sources (node -r
 * test/support/ts-register.cjs server/cli/main.ts …, SWC transpile, no build), with optional stdin,
 * and collects stdout, stderr and the exit status. Every run is bounded in time and killed on expiry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const REGISTER = path.join(ROOT, 'test', 'support', 'ts-register.cjs');
const CLI_MAIN = path.join(ROOT, 'server', 'cli', 'main.ts');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface CliOptions {
  url?: string;
  stdin?: string | Buffer;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Children still running when a test file ends (a failed assertion before the exit) are killed. */
const live = new Set<ChildProcess>();
afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
});

export function spawnCli(args: readonly string[], options: CliOptions = {}): ChildProcess {
  const child = spawn(process.execPath, ['-r', REGISTER, CLI_MAIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...(options.url ? { LOGWAY_URL: options.url } : {}), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function collectRun(child: ChildProcess, timeoutMs = 20_000): Promise<CliRun> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`logway did not exit within ${timeoutMs} ms; stderr: ${Buffer.concat(stderr).toString()}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(stdout);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawnCli(args, options);
  child.stdin!.end(options.stdin ?? '');
  return collectRun(child, options.timeoutMs);
}
