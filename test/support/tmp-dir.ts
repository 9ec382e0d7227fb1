/** Temporary directories for storage tests: one per test, removed afterwards. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function makeTmpDir(prefix = 'logway-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTmpDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Registers beforeEach/afterEach that give every test a fresh directory. */
export function useTmpDir(prefix?: string): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(() => {
    holder.path = makeTmpDir(prefix);
  });
  afterEach(() => {
    removeTmpDir(holder.path);
  });
  return holder;
}
