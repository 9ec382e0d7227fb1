/**
 * Each command's `--help` against the docs: a client command's help lists exactly the flags of
 * its synopsis in server/cli/README.md (plus --url) and accepts each of them; `start --help`
 * lists exactly the flags server/config.ts reads, which are exactly the README's Configuration
 * table, and start refuses any other. Runs the CLI in process (runCli with in-memory streams).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../server/cli/main';
import { ConfigError, loadConfig } from '../../../server/config';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const flagsIn = (text: string): string[] => [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].sort();

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(argv, { stdin, stdout, stderr, env: {}, signal: new AbortController().signal });
  return { code, stdout: out, stderr: err };
}

/** The synopsis lines of one command in server/cli/README.md's first code block, continuation lines included. */
function readmeSynopsis(command: string): string {
  const block = /```\n([\s\S]*?)```/.exec(read('server/cli/README.md'))![1]!;
  const lines: string[] = [];
  let inCommand = false;
  for (const line of block.split('\n')) {
    if (line.startsWith('logway ')) inCommand = line.split(/\s+/)[1] === command;
    if (inCommand) lines.push(line);
  }
  return lines.join('\n');
}

describe('--help and the READMEs', () => {
  it.each(['topics', 'produce', 'consume', 'keys', 'acls'])(
    '%s --help lists the flags of its README synopsis (and --url, --api-key, --ca-file), and accepts each',
    async (command) => {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      const documented = flagsIn(readmeSynopsis(command));
      expect(documented.length).toBeGreaterThan(0);
      expect(flagsIn(help.stdout).filter((flag) => flag !== '--url' && flag !== '--api-key' && flag !== '--ca-file')).toEqual(documented);
      for (const flag of [...documented, '--url', '--api-key']) {
        const run = await cli([command, flag, '1', '--help']);
        expect({ flag, code: run.code, stderr: run.stderr }).toEqual({ flag, code: 0, stderr: '' });
      }
    },
  );

  it('start --help lists exactly the flags the node reads, and the README Configuration table the same', async () => {
    const help = await cli(['start', '--help']);
    expect(help.code).toBe(0);
    const config = read('server/config.ts');
    const read_ = [...config.matchAll(/pick\('([a-z-]+)', '(LOGWAY_[A-Z_]+)'\)/g)];
    // The help's rule for the environment: LOGWAY_ and the flag in capitals.
    for (const [, flag, variable] of read_) expect(variable).toBe(`LOGWAY_${flag!.toUpperCase().replace(/-/g, '_')}`);
    const configFlags = [...new Set(read_.map(([, flag]) => `--${flag}`))].sort();
    expect(flagsIn(help.stdout)).toEqual(configFlags);

    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\nTopic settings use'));
    const tableFlags = flagsIn(
      table
        .split('\n')
        .filter((line) => line.startsWith('| `--'))
        .map((line) => line.split('|')[1]!)
        .join(' '),
    );
    expect(tableFlags).toEqual(configFlags);
    for (const flag of flagsIn(readmeSynopsis('start'))) expect(configFlags).toContain(flag);
  });

  it('start refuses a flag its help does not list (a typo must not start a node on the defaults)', async () => {
    // loadConfig first: were the flag ignored, the cli() call below would start a node on :4000.
    expect(() => loadConfig(['--prot', '4001'], {})).toThrow(ConfigError);
    const run = await cli(['start', '--prot', '4001']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: USAGE: unknown flag --prot (logway start --help lists the flags)\nRun "logway start --help" for usage.\n',
    });
  });

  it('the top-level usage names every command the CLI README documents', async () => {
    const usage = (await cli(['--help'])).stdout;
    const documented = [...new Set([...read('server/cli/README.md').matchAll(/^logway (\w+)/gm)].map((m) => m[1]))];
    expect(documented.sort()).toEqual(['acls', 'consume', 'keys', 'produce', 'start', 'topics']);
    for (const command of documented) expect(usage).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});
