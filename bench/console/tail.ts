/**
 * The console stays responsive while tailing a busy topic. A Logway node runs in a child process
 * (bench/gateway's LogwayNode: from the build, else from the sources), a producer in this process
 * sends `--rate` records/s (default 10,000: batches every 50 ms over HTTP, acks ALL), and Debian's
 * Chromium opens the topic's live tail in the console (/console/topics/<topic>/messages, every
 * partition). After a warm-up, for `--seconds`, the page itself measures:
 * - frames: requestAnimationFrame callbacks per second, and the 95th percentile and worst gap
 *   between frames (a frame rate that holds means scrolling and typing stay smooth);
 * - long tasks: PerformanceObserver('longtask') count and total time over 50 ms per second of
 *   wall time (time the main thread could not answer input);
 * - what the tail shows: its displayed rate, records received, how far behind it is, rows in
 *   the DOM (bounded by the window), and the JS heap before and after.
 * Chrome's own counters (CDP Performance.getMetrics: script, layout, style and task time) are
 * reported per second too, and the built console's JavaScript size, raw and gzip.
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/console/tail.js [--rate 10000] [--seconds 20]
 *      [--partitions 3] [--value-bytes 100] [--paused] [--json <file>]
 * Needs the console built (npm run build:console / the install command) and /usr/bin/chromium.
 * Prints figures, never asserts (docs/HOUSE-STYLE.md).
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { GraphQLHttpClient } from '../../server/cli/graphql-http';
import { repoRoot } from '../gateway/paths';
import { LogwayNode } from '../gateway/peers/logway-peer';

const WARMUP_MS = 3_000;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TICK_MS = 50;
const IN_FLIGHT_MAX = 4;

function option(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
  return value;
}

const jsonIndex = process.argv.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? process.argv[jsonIndex + 1] : undefined;
/** --paused: the tail is paused (rows frozen, counts still moving): the cost of receiving alone. */
const paused = process.argv.includes('--paused');
const caseName = `tail-${option('--rate', 10_000)}rps${paused ? '-paused' : ''}`;

function figure(metric: string, value: number, unit: string): void {
  const rounded = Math.round(value * 100) / 100;
  process.stdout.write(`console-tail ${caseName} ${metric} ${rounded} ${unit}\n`);
  if (jsonFile)
    appendFileSync(
      jsonFile,
      `${JSON.stringify({ bench: 'console-tail', case: caseName, metric, value: rounded, unit, at: new Date().toISOString() })}\n`,
    );
}

/** The built console's JavaScript: what a browser downloads for the page. */
function reportBundleSize(root: string): void {
  const assets = path.join(root, 'web-console', 'dist', 'assets');
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(assets)) {
    if (!name.endsWith('.js')) continue;
    const bytes = readFileSync(path.join(assets, name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  figure('js-bytes', raw, 'B');
  figure('js-gzip-bytes', gzip, 'B');
}

/** Sends `ratePerSecond` records in batches every TICK_MS, at most IN_FLIGHT_MAX requests at once. */
function startProducer(client: GraphQLHttpClient, topic: string, ratePerSecond: number, valueBytes: number) {
  const started = performance.now();
  let sent = 0;
  let acked = 0;
  let inFlight = 0;
  let failures = 0;
  let running = true;
  const padding = 'x'.repeat(Math.max(0, valueBytes - 60));
  const timer = setInterval(() => {
    if (!running) return;
    const due = Math.floor(((performance.now() - started) / 1_000) * ratePerSecond) - sent;
    if (due <= 0 || inFlight >= IN_FLIGHT_MAX) return;
    const count = Math.min(due, 5_000);
    const first = sent;
    sent += count;
    inFlight++;
    const records = Array.from({ length: count }, (_, i) => ({
      key: `device-${(first + i) % 1_000}`,
      value: JSON.stringify({ seq: first + i, celsius: 20 + ((first + i) % 150) / 10, note: padding }),
    }));
    client
      .request('mutation($input: ProduceInput!) { produce(input: $input) { topic } }', { input: { topic, acks: 'ALL', records } })
      .then(
        () => (acked += count),
        () => failures++,
      )
      .finally(() => inFlight--);
  }, TICK_MS);
  return {
    acked: () => acked,
    failures: () => failures,
    async stop() {
      running = false;
      clearInterval(timer);
      const deadline = Date.now() + 30_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

/** Installed before the console's own scripts: frame and long-task recorders. */
const PAGE_PROBE = `
  window.__bench = { frames: [], longTasks: [], recording: false };
  new PerformanceObserver((list) => {
    if (!window.__bench.recording) return;
    for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  const onFrame = (t) => { if (window.__bench.recording) window.__bench.frames.push(t); requestAnimationFrame(onFrame); };
  requestAnimationFrame(onFrame);
`;

interface PageFigures {
  frames: number[];
  longTasks: number[];
  tailRate: string;
  tailStatus: string;
  rows: number;
  heapBytes: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const rate = option('--rate', 10_000);
  const seconds = option('--seconds', 20);
  const partitions = option('--partitions', 3);
  const valueBytes = option('--value-bytes', 100);
  const root = repoRoot();
  reportBundleSize(root);

  const node = await LogwayNode.start({ log: (line) => process.stderr.write(`${line}\n`) });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const admin = new GraphQLHttpClient(node.url);
    const topic = 'bench-tail';
    await admin.request('mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }', {
      input: { name: topic, partitions },
    });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(PAGE_PROBE);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const consoleUrl = new URL(`/console/topics/${topic}/messages`, node.url).toString();
    await page.goto(consoleUrl);
    await page.getByTestId('tail-status').waitFor();

    const producer = startProducer(new GraphQLHttpClient(node.url, { requestTimeoutMs: 30_000 }), topic, rate, valueBytes);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    if (paused) await page.getByTestId('pause').click();
    const metricsBefore = await cdp.send('Performance.getMetrics');
    const ackedBefore = producer.acked();
    const heapBefore = (await page.evaluate('performance.memory?.usedJSHeapSize ?? 0')) as number;
    await page.evaluate('window.__bench.recording = true');
    const startedMs = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
    const got = (await page.evaluate(`(() => {
      const bench = window.__bench;
      bench.recording = false;
      return {
        frames: bench.frames,
        longTasks: bench.longTasks,
        tailRate: document.querySelector('[data-testid=tail-rate]')?.textContent ?? '',
        tailStatus: document.querySelector('[data-testid=tail-status]')?.textContent ?? '',
        rows: document.querySelectorAll('[data-testid=records-table] tbody tr').length,
        heapBytes: performance.memory?.usedJSHeapSize ?? 0,
      };
    })()`)) as PageFigures;
    const elapsedS = (performance.now() - startedMs) / 1_000;
    const metricsAfter = await cdp.send('Performance.getMetrics');
    const ackedDuring = producer.acked() - ackedBefore;
    await producer.stop();

    figure('produced-rate', ackedDuring / elapsedS, 'records/s');
    figure('produce-failures', producer.failures(), 'requests');
    const gaps = got.frames
      .slice(1)
      .map((t, i) => t - got.frames[i]!)
      .sort((a, b) => a - b);
    figure('frame-rate', got.frames.length / elapsedS, 'fps');
    figure('frame-gap-p95', percentile(gaps, 95), 'ms');
    figure('frame-gap-max', gaps[gaps.length - 1] ?? NaN, 'ms');
    figure('long-tasks', got.longTasks.length, 'count');
    figure('long-task-time', got.longTasks.reduce((sum, d) => sum + d, 0) / elapsedS, 'ms/s');
    figure('long-task-max', got.longTasks.length ? Math.max(...got.longTasks) : 0, 'ms');
    const metric = (list: { metrics: { name: string; value: number }[] }, name: string) =>
      list.metrics.find((m) => m.name === name)?.value ?? 0;
    for (const [name, label] of [
      ['ScriptDuration', 'script'],
      ['LayoutDuration', 'layout'],
      ['RecalcStyleDuration', 'style'],
      ['TaskDuration', 'main-thread-busy'],
    ] as const) {
      figure(`${label}-time`, ((metric(metricsAfter, name) - metric(metricsBefore, name)) * 1_000) / elapsedS, 'ms/s');
    }
    const rateShown = Number(got.tailRate.replace(/[^\d.]/g, ''));
    figure('tail-rate-shown', rateShown, 'records/s');
    const behind = /([\d,]+) behind/.exec(got.tailStatus)?.[1];
    figure('tail-behind', behind ? Number(behind.replace(/,/g, '')) : 0, 'records');
    figure('rows-in-dom', got.rows, 'rows');
    figure('js-heap-before', heapBefore / 1_048_576, 'MiB');
    figure('js-heap-after', got.heapBytes / 1_048_576, 'MiB');
    process.stderr.write(`tail status at the end: ${got.tailStatus}\n`);
  } finally {
    await browser.close();
    await node.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
