/**
 * Only server/catalog/prisma-catalog.ts may import the generated Prisma client or @prisma/*
 * runtime packages (docs/ARCHITECTURE.md: the catalog is "the only importer of Prisma"), so
 * Prisma types never leak past the Catalog interface.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const projectRoot = resolve(__dirname, '..', '..', '..');
const SOURCE_ROOTS = ['server', 'schema', 'storage', 'bench'];
const ALLOWED = new Set(['server/catalog/prisma-catalog.ts']);
const PRISMA_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]*(?:prisma\/generated|@prisma\/)[^'"]*)['"]/g;

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|cjs|mjs)$/.test(entry.name) ? [path] : [];
  });
}

it('imports the Prisma client only from server/catalog/prisma-catalog.ts', () => {
  const offenders: string[] = [];
  for (const root of SOURCE_ROOTS) {
    for (const file of sourceFiles(join(projectRoot, root))) {
      const name = relative(projectRoot, file);
      if (ALLOWED.has(name)) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(PRISMA_IMPORT)) offenders.push(`${name} imports ${match[1]}`);
    }
  }
  expect(offenders).toEqual([]);
});
