/**
 * Where the installed project is: the nearest folder above this module with a package.json. The
 * same code runs from the sources (server/) and from the build (dist/server/), so paths to the
 * package metadata and the built console are found from here, not from the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'server'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);

export const LOGWAY_VERSION: string = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
