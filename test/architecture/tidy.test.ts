/**
 * Checks that are cheaper to automate than to argue in review (docs/HOUSE-STYLE.md §3.8 habit 12): file length,
 * where the environment may be read, no console output from the log engine, and one clock below the transports.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const LINES_MAX = 500;
/** Files allowed over the limit, each with the reason. */
const LONG_FILE_ALLOWED: Record<string, string> = {
  'storage/log/partition-log.ts':
    "one log's mutable state (offsets, HW, segments, epochs, producer state) guarded by its one lock; its parts are already in log/ (append-batches, log-reader, group-commit-queue, log-cleaner)",
  'server/coordinators/transactions/transaction-coordinator.ts':
    'one state machine whose transitions share the per-id exclusive section; validation and failpoints are already apart',
};
/** The only modules that may read process.env: the node's config, and the CLI's (a separate program). */
const ENV_READERS = new Set(['server/config.ts', 'server/cli/cli-config.ts']);

const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && !f.startsWith('test/fixtures/') && !f.includes('generated') && !f.endsWith('.d.ts'))
  .filter((f) => {
    try {
      readFileSync(path.join(ROOT, f));
      return true;
    } catch {
      return false;
    }
  });
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('tidy', () => {
  it(`keeps every source file at ${LINES_MAX} lines or fewer (or says why)`, () => {
    const long = sources.filter((f) => !LONG_FILE_ALLOWED[f] && lineCount(read(f)) > LINES_MAX);
    expect(long).toEqual([]);
  });

  it('reads process.env only in the config modules', () => {
    const readers = sources.filter((f) => /^(server|schema|storage)\//.test(f) && !ENV_READERS.has(f) && /process\.env/.test(read(f)));
    expect(readers).toEqual([]);
  });

  it('keeps raw timers and wall-clock reads out of the broker and the layers below it (one injectable clock and scheduler)', () => {
    // storage/io/clock.ts is the one place that touches them (setImmediate, a yield to the loop, is no clock).
    const below = /^server\/(broker|coordinators|cluster|catalog|security|quotas)\//;
    const raw = /\b(setTimeout|setInterval)\(|\bDate\.now\(\)|\bperformance\.now\(\)/;
    const offenders = sources.filter((f) => below.test(f) && raw.test(read(f).replace(/^\s*(\*|\/\/).*$/gm, '')));
    expect(offenders).toEqual([]);
  });

  it('never writes to the console from storage/', () => {
    const noisy = sources.filter((f) => f.startsWith('storage/') && /\bconsole\.(log|info|warn|error|debug)\(/.test(read(f)));
    expect(noisy).toEqual([]);
  });
});
