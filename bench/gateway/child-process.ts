/**
 * Servers started by the benchmark (a Logway node, nats-server, redis-server) as child processes:
 * wait for a readiness line on stdout/stderr (bounded in time), stop with SIGTERM then SIGKILL.
 * The bench never leaves a child behind: `stop()` is called from the peers' close() and a
 * process 'exit' hook kills whatever is still running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StartedProcess {
  child: ChildProcess;
  pid: number;
  /** All output so far (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartProcessOptions {
  command: string;
  args: readonly string[];
  /** Readiness: the first output line matching this; its match is returned. */
  ready: RegExp;
  readyTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function startProcess(options: StartProcessOptions): Promise<{ process: StartedProcess; match: RegExpMatchArray }> {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.command} not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output.slice(-2000)}`)),
      options.readyTimeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 1_000_000) output = output.slice(-100_000); // bound what we keep
      const found = output.match(options.ready);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.command} exited with ${code} before ready:\n${output.slice(-2000)}`));
    });
  });
  const started: StartedProcess = {
    child,
    pid: child.pid!,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return { process: started, match };
}

/** The absolute path of an executable on PATH, or null (used to print "install X" clearly). */
export function which(command: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}
