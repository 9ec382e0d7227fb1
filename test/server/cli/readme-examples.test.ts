/**
 * The README's command-line examples, run as written (bash, `npx logway` from the project
 * directory, as a new user would after `npm install`) against a real node: each must exit 0.
 * A README example that no longer runs (a renamed flag, a command that is not on the PATH) fails here.
 * `npx logway` runs the built dist/: rebuild with `npx tsc -p tsconfig.json` after changing server/cli.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestNode, type TestNode } from '../../support/test-node';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Async (the node under test runs in this process: a sync spawn would stall it). */
function bash(line: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-o', 'pipefail', '-c', line],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** The lines of the first ```sh block after the "## Command line" heading, comments cut. */
function commandLineExamples(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Command line\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+# .*$/, '').trim())
    .filter(Boolean);
}

describe('README command-line examples', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are commands that run, in order, against a node at LOGWAY_URL', async () => {
    const examples = commandLineExamples();
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.every((line) => /(^|\| )npx logway /.test(line))).toBe(true);
    const outputs: string[] = [];
    for (const line of examples) {
      const run = await bash(line, { ...process.env, LOGWAY_URL: t.node.url, npm_config_update_notifier: 'false' });
      expect({ line, status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ line, status: 0, stderr: '' });
      outputs.push(run.stdout);
    }
    // What the examples promise: the topic is listed, and consume prints 10 of the produced lines
    // (which 10 depends on the partition each produce call's keyless records went to).
    expect(outputs[examples.findIndex((l) => l.startsWith('npx logway topics list'))]).toContain('orders');
    const consumed = outputs[examples.findIndex((l) => l.includes('npx logway consume'))]!.split('\n');
    expect(consumed.pop()).toBe('');
    expect(consumed).toHaveLength(10);
    for (const line of consumed) expect(Number(line)).toBeGreaterThanOrEqual(1);
    for (const line of consumed) expect(Number(line)).toBeLessThanOrEqual(100_000);
  }, 300_000);
});
