/**
 * Drives the web console in a real browser against a real node: Debian's Chromium through
 * playwright-core, a node started in-process on port 0 with a temp data dir (test/support's
 * startTestNode), serving the console built by Vite from web-console/dist. The console is built
 * here when dist is missing or older than its sources (a lock dir keeps parallel jest workers
 * from building at once). Page errors and failed console messages are collected so every test
 * can assert the page stayed healthy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestNode, type TestNode } from '../../support/test-node';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CONSOLE_ROOT = path.join(REPO_ROOT, 'web-console');
const DIST_INDEX = path.join(CONSOLE_ROOT, 'dist', 'index.html');

/** Debian's Chromium, as the probe ran it (docs/ENVIRONMENT.md). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function consoleIsFresh(): boolean {
  if (!existsSync(DIST_INDEX)) return false;
  const sources = Math.max(
    newestMtimeMs(path.join(CONSOLE_ROOT, 'src')),
    statSync(path.join(CONSOLE_ROOT, 'index.html')).mtimeMs,
    statSync(path.join(CONSOLE_ROOT, 'vite.config.ts')).mtimeMs,
  );
  return statSync(DIST_INDEX).mtimeMs >= sources;
}

/** Builds web-console/dist unless it is up to date. Bounded: 120 s for the lock, 120 s for the build. */
export async function ensureConsoleBuilt(): Promise<void> {
  if (consoleIsFresh()) return;
  const lock = path.join(REPO_ROOT, 'web-console', '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest build is left over from a killed run.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not take ${lock} (remove it if no build is running)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!consoleIsFresh()) {
      execFileSync(
        process.execPath,
        [
          path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--config',
          'web-console/vite.config.ts',
          '--logLevel',
          'warn',
        ],
        {
          cwd: REPO_ROOT,
          // jest sets NODE_ENV=test, which would make the Preact preset bundle preact/debug.
          env: { ...process.env, NODE_ENV: 'production' },
          stdio: 'pipe',
          timeout: 120_000,
        },
      );
    }
  } finally {
    rmdirSync(lock);
  }
}

export interface ConsoleSession {
  node: TestNode;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Absolute URL of a console path: url('/topics') → http://127.0.0.1:PORT/console/topics. */
  url(consolePath: string): string;
  /** Uncaught page errors and console errors seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface OpenConsoleOptions {
  viewport?: { width: number; height: number };
  /** Extra node flags, e.g. a fixed `--port` so a restarted node keeps its address. */
  nodeArgs?: string[];
}

export async function openConsole(options: OpenConsoleOptions = {}): Promise<ConsoleSession> {
  await ensureConsoleBuilt();
  const node = await startTestNode(options.nodeArgs ?? []);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
    });
    // Read at each call: a restarted node may listen elsewhere (unless nodeArgs fixed the port).
    const origin = () => new URL(node.node.url).origin;
    const opened = browser;
    return {
      node,
      browser: opened,
      context,
      page,
      url: (consolePath) => `${origin()}/console${consolePath}`,
      pageErrors,
      async close() {
        await opened.close();
        await node.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await node.stop();
    throw error;
  }
}

/** Creates a topic through the API (for tests whose subject is not topic creation). */
export async function createTopicViaApi(node: TestNode, name: string, partitions = 1): Promise<void> {
  await node.ok(`mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }`, { input: { name, partitions } });
}

export interface ApiRecord {
  key?: string | null;
  value?: string | null;
  valueBase64?: string;
  partition?: number;
  headers?: { key: string; value: string }[];
  timestampMs?: number;
}

/** Produces through the API; returns the offsets in input order. */
export async function produceViaApi(node: TestNode, topic: string, records: ApiRecord[]): Promise<{ partition: number; offset: number }[]> {
  const data = await node.ok<{ produce: { records: { partition: number; offset: number }[] } }>(
    `mutation($input: ProduceInput!) { produce(input: $input) { records { partition offset } } }`,
    { input: { topic, records } },
  );
  return data.produce.records;
}
