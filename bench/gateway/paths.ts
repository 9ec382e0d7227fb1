/** Where the repository is, whether this runs compiled (dist/bench/gateway) or from source. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 8; depth++) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'logway') return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the logway package.json above ${__dirname}`);
}
