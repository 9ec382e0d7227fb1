/**
 * Dead and false things fail here instead of in a review (docs/HOUSE-STYLE.md §3.8 habit 12):
 * an exported name nothing uses (not even its own file), a node limit nothing reads, a comment
 * or doc citing a file or section (`docs/<name>.md §3.8`, `habit 5`) the repo does not have, and a
 * repo path named in a comment or doc that no longer exists.
 * Imports are matched with regular expressions, not the compiler: good enough for this tree, whose
 * imports are all static `import … from` / `export … from` lines.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS } from '../../server/config';

const ROOT = path.resolve(__dirname, '../..');
const listed = (...patterns: string[]) =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...patterns], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('test/fixtures/') && !f.includes('generated') && !f.startsWith('web-console/dist/'))
    .filter((f) => existsSync(path.join(ROOT, f)));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** Exported names used nowhere, each with why it stays. Keep it short. */
const DEAD_EXPORT_ALLOWED: Record<string, string> = {};

describe('dead exports', () => {
  const sources = listed('*.ts', '*.tsx', '*.cjs', '*.mjs').filter((f) => !f.endsWith('.d.ts'));
  const text = new Map(sources.map((f) => [f, withoutComments(read(f))]));
  const resolve = (from: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.js$/, '');
    return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`, `${base}.cjs`].find((c) => text.has(c));
  };
  const names = (list: string) =>
    list
      .split(',')
      .map((s) => s.trim().replace(/^type\s+/, ''))
      .filter(Boolean)
      .map((s) => s.split(/\s+as\s+/) as [string, string?]);

  /** file → the names other files import from it ('*' = all of them). */
  const used = new Map<string, Set<string> | '*'>();
  const use = (file: string | undefined, name: string) => {
    if (!file) return;
    const set = used.get(file);
    if (name === '*' || set === '*') return void used.set(file, '*');
    used.set(file, (set ?? new Set()).add(name));
  };
  const exported = new Map<string, Set<string>>();
  const forwards: { file: string; target: string; from?: string; as?: string }[] = [];
  for (const [file, body] of text) {
    const own = new Set<string>();
    for (const m of body.matchAll(
      /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|interface|type|enum)\s+([\w$]+)/gm,
    ))
      own.add(m[1]!);
    for (const m of body.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/gm)) {
      const target = m[2] ? resolve(file, m[2]) : undefined;
      for (const [from, as = from] of names(m[1]!)) {
        own.add(as);
        if (target) forwards.push({ file, target, from, as });
      }
    }
    for (const m of body.matchAll(/^export\s+\*\s+from\s*['"]([^'"]+)['"]/gm)) {
      const target = resolve(file, m[1]!);
      if (target) forwards.push({ file, target });
    }
    exported.set(file, own);
    for (const m of body.matchAll(/import\s+(?:type\s+)?([\s\S]*?)\s+from\s*['"]([^'"]+)['"]/g)) {
      const target = resolve(file, m[2]!);
      if (/\*\s+as\s+/.test(m[1]!)) use(target, '*');
      for (const [name] of names(m[1]!.match(/\{([\s\S]*)\}/)?.[1] ?? '')) use(target, name);
    }
    for (const m of body.matchAll(/(?:require|import|jest\.mock)\(\s*['"]([^'"]+)['"]/g)) use(resolve(file, m[1]!), '*');
  }
  // A name used through a re-export (index.ts barrels) is used in the file it comes from.
  for (let round = 0; round < 10; round++) {
    for (const { file, target, from, as } of forwards) {
      const set = used.get(file);
      if (set === '*') use(target, from ?? '*');
      else for (const name of set ?? []) if (from === undefined || name === as) use(target, from ?? name);
    }
  }

  it('has no exported name that nothing uses, not even its own file', () => {
    const dead: string[] = [];
    for (const [file, own] of exported) {
      const set = used.get(file);
      if (set === '*' || /\.test\.tsx?$/.test(file)) continue;
      const body = text.get(file)!.replace(/\.\.\./g, ' ');
      for (const name of own) {
        if (set?.has(name) || forwards.some((f) => f.file === file && f.as === name)) continue;
        const mentions = body.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
        if (mentions <= 1 && !DEAD_EXPORT_ALLOWED[`${file} ${name}`]) dead.push(`${file} ${name}`);
      }
    }
    expect(dead).toEqual([]);
  });
});

describe('node limits', () => {
  it('every limit in server/config.ts is read by the code that enforces it', () => {
    const readers = listed('server/*.ts', 'schema/*.ts')
      .filter((f) => f !== 'server/config.ts')
      .map((f) => withoutComments(read(f)))
      .join('\n');
    // `limits.fetchBytesMax` or `const { headersPerRecordMax } = deps.limits`: a topic config of the
    // same name (timestampAfterMaxMs) does not count.
    const readsLimit = (key: string) =>
      new RegExp(`\\blimits\\.${key}\\b|\\{[^}]*\\b${key}\\b[^}]*\\}\\s*=\\s*[\\w.]*\\blimits\\b`).test(readers);
    const unread = Object.keys(DEFAULT_LIMITS).filter((key) => !readsLimit(key));
    expect(unread).toEqual([]);
  });
});

describe('doc citations', () => {
  const docs = listed('*.ts', '*.tsx', '*.cjs', '*.mjs', '*.md', '*.prisma', '*.sql', '*.c', '.ci/*').filter(
    (f) => f !== path.relative(ROOT, __filename),
  );
  /** `docs/<name>.md`, `storage/FORMAT.md §9`, `docs/HOUSE-STYLE.md §3.8 habit 12`, `../bench/README.md`. */
  const CITATION = /((?:\.\.?\/|[\w-]+\/)*)([\w-]+\.md|[A-Z][A-Z-]+(?=\s+(?:§|habit)))(?:\s+§\s?(\d+(?:\.\d+)*))?(?:\s+habit\s+(\d+))?/g;
  const headings = (file: string) =>
    read(file)
      .split('\n')
      .filter((line) => line.startsWith('#'));

  it('every cited file and section exists in the repo', () => {
    const broken: string[] = [];
    for (const file of docs) {
      for (const m of read(file).matchAll(CITATION)) {
        const [cited, dir = '', bare = '', section, habit] = m;
        const name = bare.endsWith('.md') ? bare : `${bare}.md`;
        if (!dir && (name === 'README.md' || name === 'FORMAT.md' || name === 'PROTOCOL.md')) continue; // "this folder's README"
        const candidates = dir
          ? [path.posix.normalize(dir.startsWith('.') ? path.posix.join(path.posix.dirname(file), dir, name) : dir + name)]
          : [path.posix.join(path.posix.dirname(file), name), `docs/${name}`];
        const target = candidates.find((c) => existsSync(path.join(ROOT, c)));
        if (!target) {
          broken.push(`${file}: ${cited} (no such file)`);
          continue;
        }
        if (section && !headings(target).some((h) => new RegExp(`^#+\\s+${section.replace(/\./g, '\\.')}[.\\s]`).test(h))) {
          broken.push(`${file}: ${cited} (no section ${section} in ${target})`);
        }
        if (habit && !new RegExp(`^${habit}\\. \\*\\*`, 'm').test(read(target))) broken.push(`${file}: ${cited} (no habit ${habit})`);
      }
    }
    expect(broken).toEqual([]);
  });

  /** Design docs that name files to be written; ARCHITECTURE.md does so only in its last section. */
  const PLANS = new Set(['docs/RELIABILITY.md', 'docs/HOUSE-STYLE.md', 'docs/GRAPHQL-API.md']);
  const REPO_PATH = /\b(?:server|storage|schema|test|bench|prisma|web-console|docs)\/[\w./-]+\.(?:ts|tsx|md|cjs|mjs|prisma|sql|c|json)\b/g;

  it('every repo path a comment or doc names exists (a moved file takes its mentions along)', () => {
    const missing: string[] = [];
    for (const file of docs.filter((f) => !PLANS.has(f))) {
      let body = read(file);
      if (file === 'docs/ARCHITECTURE.md') body = body.split('## Not built yet')[0]!;
      for (const [mentioned] of body.matchAll(REPO_PATH)) {
        if (!existsSync(path.join(ROOT, mentioned))) missing.push(`${file}: ${mentioned}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
