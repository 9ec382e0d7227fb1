/**
 * `logway start` exits 1 at once on an fsync failure (docs/RELIABILITY.md §2.3 rule 6). The failure is
 * real at the syscall boundary: an LD_PRELOAD shim (support/fail-fsync.c, built here with gcc)
 * makes fsync/fdatasync return EIO once a trigger file exists. Skipped, saying so, without gcc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collectRun, spawnCli } from './run-cli';

const gcc = spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).stdout.trim();
const itWithGcc = gcc ? it : it.skip;
if (!gcc) process.stderr.write('start-fsync.test.ts: gcc not found, the fsync-failure test is skipped\n');

describe('logway start on an fsync failure', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'logway-cli-fsync-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  itWithGcc(
    'logs the fatal error and exits 1 without a clean close',
    async () => {
      const shim = path.join(workDir, 'fail-fsync.so');
      execFileSync(gcc, ['-shared', '-fPIC', '-O2', '-o', shim, path.join(__dirname, 'support', 'fail-fsync.c'), '-ldl']);
      const trigger = path.join(workDir, 'fail-now');
      const child = spawnCli(['start', '--port', '0', '--data-dir', path.join(workDir, 'data')], {
        env: { LD_PRELOAD: shim, LOGWAY_FAIL_FSYNC_WHEN: trigger },
      });
      child.stdin!.end();
      const run = collectRun(child, 45_000);
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const match = seen.match(/"url":"(http:[^"]+)".*"msg":"logway node started"/);
          if (match) resolve(match[1]!);
        });
        child.on('close', () => reject(new Error(`exited before serving: ${seen}`)));
      });
      const gql = (query: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
          .then((r) => r.json() as Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>)
          .catch((error: unknown) => ({ errors: [{ extensions: { code: `socket: ${(error as Error).message}` } }] }));
      expect((await gql('mutation { createTopic(input: { name: "doomed-disk" }) { name } }')).errors).toBeUndefined();
      expect(
        (await gql('mutation { produce(input: { topic: "doomed-disk", records: [{ value: "before" }] }) { topic } }')).errors,
      ).toBeUndefined();

      await writeFile(trigger, '');
      const failed = await gql('mutation { produce(input: { topic: "doomed-disk", records: [{ value: "after" }] }) { topic } }');
      expect(failed.errors?.[0]?.extensions?.code).not.toBeUndefined(); // never acknowledged

      const exited = await run;
      expect(exited.code).toBe(1);
      expect(exited.stdout).toMatch(/FSYNC_FAILED/);
      expect(exited.stdout).toMatch(/"msg":"fatal storage error: exiting without flushing/);
      expect(exited.stdout).not.toMatch(/logway node stopped cleanly/);
    },
    60_000,
  );
});
