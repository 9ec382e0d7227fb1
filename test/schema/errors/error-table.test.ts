/**
 * The one public error table (schema/errors/public-errors.ts) against the code and the README:
 * every code a CodedError class declares is in the table (a code missing there reaches the client
 * as INTERNAL_SERVER_ERROR), and the README's error table lists exactly the codes a client can see.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EVERY_DECLARED_CODE_IS_PUBLIC } from '../../../schema/errors/declared-codes';
import { createErrorFormatter } from '../../../schema/errors/format-error';
import { PUBLIC_ERRORS, REQUEST_ERROR_CODES } from '../../../schema/errors/public-errors';
import { UnsupportedCompressionTypeError } from '../../../storage/format/format-errors';
import { FsyncFailedError } from '../../../storage/io/fsync-failed-error';

const root = join(__dirname, '../../..');

function sourceFiles(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 12) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'generated' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out, depth + 1);
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

function declaredCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const dir of ['storage', 'server', 'schema']) {
    for (const file of sourceFiles(join(root, dir))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/readonly code = '([A-Z_]+)'/g)) codes.set(match[1], file);
    }
  }
  return codes;
}

function readmeCodes(): Set<string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Errors'), readme.indexOf('### Limits'));
  const codes = new Set<string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.split('|')[1];
    for (const match of firstCell.matchAll(/`([A-Z_]+)`/g)) codes.add(match[1]);
  }
  return codes;
}

describe('the public error table', () => {
  test('every code a CodedError class declares is in PUBLIC_ERRORS', () => {
    const missing = [...declaredCodes()].filter(([code]) => !Object.hasOwn(PUBLIC_ERRORS, code));
    expect(missing).toEqual([]);
    // The compiler's half (schema/errors/declared-codes.ts): that file type-checks only when the table has every exported class's code.
    expect(Object.keys(EVERY_DECLARED_CODE_IS_PUBLIC)).toEqual([]);
  });

  test("the README's error table lists exactly the codes a client can see", () => {
    const expected = new Set<string>([...Object.keys(PUBLIC_ERRORS), ...REQUEST_ERROR_CODES, 'INTERNAL_SERVER_ERROR']);
    const listed = readmeCodes();
    expect([...expected].filter((code) => !listed.has(code)).sort()).toEqual([]);
    expect([...listed].filter((code) => !expected.has(code)).sort()).toEqual([]);
  });

  test('FSYNC_FAILED and UNSUPPORTED_COMPRESSION_TYPE reach the client with their own codes', () => {
    const logged: unknown[] = [];
    const format = createErrorFormatter({ debugErrors: false, logError: (error) => logged.push(error) });
    const formatted = { message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const fsync = format(formatted, new FsyncFailedError('/data/topic-0/00000000000000000000.log', new Error('EIO')));
    expect(fsync.extensions).toEqual({ code: 'FSYNC_FAILED', retriable: false });
    const codec = format(formatted, new UnsupportedCompressionTypeError('zstd'));
    expect(codec.extensions).toEqual({ code: 'UNSUPPORTED_COMPRESSION_TYPE', retriable: false, compression: 'zstd' });
    expect(logged).toEqual([]);
  });
});
