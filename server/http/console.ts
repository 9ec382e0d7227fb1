/**
 * Serves the built web console (web-console/dist) under /console: static files with a
 * content type, and index.html for any other path so every view has a shareable URL.
 * Paths are resolved inside the console directory only.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export async function serveConsole(consoleDir: string, urlPath: string, res: ServerResponse): Promise<void> {
  const relative = decodeURIComponent(urlPath.replace(/^\/console\/?/, ''));
  const root = path.resolve(consoleDir);
  let file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep) && file !== root) file = root;
  let info = await stat(file).catch(() => null);
  if (!info || info.isDirectory()) {
    file = path.join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('the web console is not built: run npm run build:console');
    return;
  }
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(res);
}
