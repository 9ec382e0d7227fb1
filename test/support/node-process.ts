/**
 * A Logway node as a process of its own (test/support/node-child.ts under ts-register), for tests
 * whose subject is the process: kill -9 and restart, damaged files at start-up, a request that
 * could pin the CPU. The child prints `LISTENING <port>` once it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface NodeProcess {
  child: ChildProcess;
  port: number;
  /** The GraphQL endpoint. */
  url: string;
}

/** Starts a node on `dataDir` (extra `logway start` flags in `args`, extra environment in `env`: LOGWAY_FAILPOINT); rejects if it exits or is not serving in time. */
export function startNodeProcess(
  dataDir: string,
  args: string[] = [],
  startTimeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'test/support/ts-register.cjs'), path.join(ROOT, 'test/support/node-child.ts'), dataDir, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`child did not start within ${startTimeoutMs} ms: ${err}`)), startTimeoutMs);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /LISTENING (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        const port = Number(match[1]);
        resolve({ child, port, url: `http://127.0.0.1:${port}/graphql` });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

/** Signals the node and waits until the process is gone (at once if it already is). */
export function stopNodeProcess({ child }: { child: ChildProcess }, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}

/** One GraphQL POST; the parsed body, errors included. */
export async function postGraphQL(url: string, query: string, variables?: object, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}
