/**
 * The console's and the CLI's response types come from the contract (schema/emit-client-types.ts,
 * run as `npm run types:check` runs it: the codegen packages load ESM-only modules, which jest's
 * module loader does not): the checked-in modules are what the generator writes now, a contract
 * change that breaks a client document stops it, and no client source sends a document of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

function typesCheck(...extra: string[]) {
  const run = spawnSync(process.execPath, ['-r', './test/support/ts-register.cjs', 'schema/emit-client-types.ts', '--check', ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, stderr: run.stderr };
}

describe('client types from the contract', () => {
  it('has the generated modules `npm run types:emit` writes now', () => {
    expect(typesCheck()).toEqual({ status: 0, stderr: '' });
  });

  it('stops on a contract where a field the clients ask for was renamed', () => {
    const schema = read('schema/schema.graphql');
    const renamed = schema.replace(/^(type Partition \{[^}]*?\n\s+)highWatermark:/m, '$1highWaterMark:');
    expect(renamed).not.toBe(schema);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'logway-client-types-'));
    try {
      writeFileSync(path.join(dir, 'schema.graphql'), renamed);
      const run = typesCheck('--schema', path.join(dir, 'schema.graphql'));
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/Cannot query field "highWatermark" on type "Partition"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every document the console and the CLI send in their .graphql files', () => {
    const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'web-console/src', 'server/cli'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.tsx?$/.test(f) && !f.includes('/generated/'));
    expect(sources.length).toBeGreaterThan(20);
    // A template or string literal that starts a GraphQL operation or fragment.
    const inline = /[`'"]\s*(query|mutation|subscription|fragment)\b[\s\w]*[({]/;
    expect(sources.filter((f) => inline.test(read(f)))).toEqual([]);
  });
});
