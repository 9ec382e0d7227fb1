/**
 * Gateway benchmarks: Logway through its public GraphQL API next to NATS JetStream and Redis
 * Streams running the same workloads with the same record sizes, all on loopback, servers started
 * here with temp dirs. Figures are printed, never asserted. See bench/gateway/README.md.
 * Run: npx tsc -p tsconfig.json && node dist/bench/gateway/main.js [--quick]
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseBenchOptions, type BenchOptions, type PeerId } from './options';
import { LogwayNode, LogwayPeer } from './peers/logway-peer';
import { NatsPeer } from './peers/nats-peer';
import type { Peer } from './peers/peer';
import { RedisPeer } from './peers/redis-peer';
import { mib, processStats } from './process-stats';
import { printProfile } from './profile-summary';
import { renderComparison, type ResultRow } from './report';
import { scaleBench } from './scale';
import { lateSamples, quantileBoundMs } from './server-metrics';
import { callCost, deliveryRate, produceThroughput, produceToSubscriberLatency } from './workloads';

const log = (line: string) => process.stderr.write(`${line}\n`);
const SYSTEM_NAMES: Record<PeerId, string> = { logway: 'Logway', nats: 'NATS JetStream', redis: 'Redis Streams' };

/** Timed windows of the Logway runs, to cut its CPU profile per workload. */
const profileWindows: { label: string; us: [number, number] }[] = [];

class Rows {
  readonly rows: ResultRow[] = [];
  set(workload: string, unit: string, system: string, value: number | null, note?: string): void {
    let row = this.rows.find((r) => r.workload === workload && r.unit === unit);
    if (!row) this.rows.push((row = { workload, unit, values: new Map(), notes: [] }));
    row.values.set(system, value);
    if (note) row.notes!.push(`${system}: ${note}`);
  }
}

async function startPeer(id: PeerId, options: BenchOptions): Promise<Peer> {
  switch (id) {
    case 'logway':
      return new LogwayPeer(
        await LogwayNode.start({ cpuProfileDir: options.profileDir, log, nodeArgs: options.nodeArgs, outputFile: options.nodeOutput }),
      );
    case 'nats':
      return NatsPeer.start();
    case 'redis':
      return RedisPeer.start();
  }
}

function unavailable(id: PeerId): string | null {
  if (id === 'nats') return NatsPeer.available();
  if (id === 'redis') return RedisPeer.available();
  return null;
}

async function runPeer(id: PeerId, options: BenchOptions, rows: Rows): Promise<string | null> {
  const system = SYSTEM_NAMES[id];
  const missing = unavailable(id);
  if (missing) {
    log(`SKIPPING ${system}: ${missing}`);
    return null;
  }
  log(`== ${system}: starting`);
  const peer = await startPeer(id, options);
  const step = async (what: string, run: () => Promise<void>) => {
    log(`${system}: ${what}`);
    try {
      await run();
    } catch (error) {
      log(`${system}: ${what} FAILED: ${(error as Error).stack ?? String(error)}`);
    }
  };
  try {
    const w = options.workloads;
    const sizeLabel = (size: number) => (size === 1024 ? '1 KiB' : `${size} B`);
    for (const size of w.has('produce') ? options.recordSizes : []) {
      await step(`produce 1,000 × ${sizeLabel(size)}`, async () => {
        const r = await produceThroughput(peer, `produce-${size}`, {
          recordBytes: size,
          batchRecords: 1_000,
          clients: options.produceClients,
          durationMs: options.produceDurationMs,
        });
        const name = `produce 1,000×${sizeLabel(size)}, ${options.produceClients} clients`;
        rows.set(name, 'records/s', system, r.recordsPerS);
        rows.set(name, 'MB/s', system, r.mbPerS);
        rows.set(name, 'batch p99 ms', system, r.batchP99Ms);
        if (id === 'logway') profileWindows.push({ label: name, us: r.windowUs });
      });
    }
    for (const size of w.has('deliver') ? options.recordSizes : []) {
      await step(`deliver ${options.deliverRecords} × ${sizeLabel(size)} to 1 subscriber`, async () => {
        const r = await deliveryRate(peer, `deliver-1-${size}`, {
          subscribers: 1,
          records: options.deliverRecords,
          recordBytes: size,
          timeoutMs: 300_000,
        });
        const name = `deliver ${sizeLabel(size)} to 1 subscriber`;
        rows.set(name, 'records/s', system, r.totalRecordsPerS, r.complete ? undefined : `incomplete: ${r.delivered} delivered`);
        rows.set(name, 'MB/s', system, (r.totalRecordsPerS * size) / 1_000_000);
        if (id === 'logway') profileWindows.push({ label: name, us: r.windowUs });
      });
    }
    if (w.has('fanout')) {
      await step(`deliver ${options.fanoutRecords} × 100 B to ${options.fanoutSubscribers} subscribers`, async () => {
        const r = await deliveryRate(peer, `fanout-100`, {
          subscribers: options.fanoutSubscribers,
          records: options.fanoutRecords,
          recordBytes: 100,
          timeoutMs: 300_000,
        });
        const name = `deliver 100 B to ${options.fanoutSubscribers} subscribers`;
        const note = r.complete ? undefined : `incomplete: ${r.delivered} of ${r.subscribers * r.recordsPerSubscriber}`;
        rows.set(name, 'records/s total', system, r.totalRecordsPerS, note);
        rows.set(name, 'records/s each', system, r.perSubscriberRecordsPerS);
        if (id === 'logway') profileWindows.push({ label: name, us: r.windowUs });
      });
    }
    if (w.has('latency')) {
      await step(`latency at ${options.latencyRecordsPerS} records/s`, async () => {
        const r = await produceToSubscriberLatency(peer, 'latency', {
          recordsPerS: options.latencyRecordsPerS,
          durationMs: options.latencyDurationMs,
          recordBytes: 100,
          tickMs: (options.latencyRecordsPerCall * 1000) / options.latencyRecordsPerS,
        });
        const name = `produce→subscriber latency, ${options.latencyRecordsPerS.toLocaleString('en-US')} rec/s (${options.latencyRecordsPerCall}/call) × 100 B`;
        const note = r.received < r.sent ? `received ${r.received} of ${r.sent}` : undefined;
        rows.set(name, 'p50 ms', system, r.p50Ms, note);
        rows.set(name, 'p99 ms', system, r.p99Ms);
        rows.set(name, 'p99.9 ms', system, r.p999Ms);
        rows.set(name, 'max ms', system, r.maxMs);
        rows.set(name, 'bench loop delay p99 ms', system, r.clientLoopDelayP99Ms);
        rows.set(name, 'bench loop delay max ms', system, r.clientLoopDelayMaxMs);
        rows.set(name, 'achieved rec/s', system, r.achievedRecordsPerS);
        rows.set(name, 'server CPU % of a core', system, r.serverCpuPercent);
        rows.set(name, 'server waiting for a CPU %', system, r.serverRunQueuePercent);
        rows.set(name, 'bench waiting for a CPU %', system, r.benchRunQueuePercent);
        if (r.serverLoopDelay) {
          const d = r.serverLoopDelay;
          rows.set(name, 'server loop delay p99 ≤ ms', system, quantileBoundMs(d, 0.99));
          rows.set(name, 'server loop delay p99.9 ≤ ms', system, quantileBoundMs(d, 0.999));
          rows.set(name, 'server loop samples > 10 ms', system, lateSamples(d, 0.01));
          rows.set(name, 'server loop samples > 50 ms', system, lateSamples(d, 0.05));
          rows.set(name, 'server loop samples', system, d.count);
        }
        rows.set(name, 'server CPU µs per record', system, ((r.serverCpuPercent / 100) * 1e6) / r.achievedRecordsPerS);
        for (const [kind, gc] of r.serverGc ?? []) {
          rows.set(name, `server GC ${kind}: pauses`, system, gc.count);
          rows.set(name, `server GC ${kind}: ms total`, system, gc.seconds * 1000);
        }
        if (id === 'logway') profileWindows.push({ label: name, us: r.windowUs });
      });
    }
    if (w.has('cost')) {
      await step(`cost of ${options.costCalls} produce calls`, async () => {
        const r = await callCost(peer, 'cost', {
          calls: options.costCalls,
          recordsPerCall: options.latencyRecordsPerCall,
          recordBytes: 100,
        });
        const name = `server cost of a ${options.latencyRecordsPerCall} × 100 B produce call + its delivery`;
        rows.set(
          name,
          'server CPU µs per call',
          system,
          r.serverCpuUsPerCall,
          r.delivered < r.calls * options.latencyRecordsPerCall ? `delivered ${r.delivered}` : undefined,
        );
        rows.set(name, 'call p50 ms (sequential)', system, r.callP50Ms);
        rows.set(name, 'bench CPU µs per call', system, r.benchCpuUsPerCall);
        if (id === 'logway') profileWindows.push({ label: name, us: r.windowUs });
        for (const [kind, gc] of r.serverGcPer1000Calls ?? []) {
          rows.set(name, `server GC ${kind} per 1,000 calls`, system, gc.count);
          rows.set(name, `server GC ${kind} ms per 1,000 calls`, system, gc.seconds * 1000);
        }
      });
    }
    rows.set('server process after the workloads', 'RSS MiB', system, processStats(peer.pid).rssBytes / 1024 / 1024);
    return `${system}: ${peer.durability}`;
  } finally {
    await peer.close();
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.profileDir) await mkdir(options.profileDir, { recursive: true });
  log(
    `gateway bench${options.quick ? ' (quick)' : ''}: ${os.cpus().length} CPUs, node ${process.version}, peers ${options.peers.join(', ')}`,
  );
  const rows = new Rows();
  const durability: string[] = [];
  const systems: string[] = [];
  const skipped: string[] = [];
  const comparison = [...options.workloads].some((w) => w !== 'scale');
  for (const id of comparison ? options.peers : []) {
    const missing = unavailable(id);
    if (missing) skipped.push(`${SYSTEM_NAMES[id]} not run: ${missing}`);
    const note = await runPeer(id, options, rows);
    systems.push(SYSTEM_NAMES[id]);
    if (note) durability.push(note);
  }
  const out: string[] = [];
  if (rows.rows.length > 0) {
    out.push(
      '',
      `Gateway benchmark${options.quick ? ' (--quick)' : ''}: same workloads, same record sizes, loopback, one topic = one partition / stream`,
    );
    out.push(renderComparison(rows.rows, systems), '', 'What an ack means:', ...durability.map((d) => `  ${d}`));
    if (skipped.length > 0)
      out.push(
        '',
        ...skipped,
        ...(durability.length <= 1 ? ['No peer ran: the figures above have nothing to be compared with in this run.'] : []),
      );
  }
  if (options.workloads.has('scale') && options.peers.includes('logway')) {
    const r = await scaleBench({
      topics: options.scaleTopics,
      partitionsPerTopic: options.scalePartitionsPerTopic,
      subscriptions: options.scaleSubscriptions,
      log,
    });
    out.push(
      '',
      `Logway at scale: ${options.scaleTopics} topics × ${options.scalePartitionsPerTopic} partitions = ${r.partitions.toLocaleString('en-US')} partitions`,
    );
    out.push(
      `  create through GraphQL   ${r.createSeconds.toFixed(1)} s; then RSS ${mib(r.afterCreate.rssBytes)}, open fds ${r.afterCreate.openFds}`,
    );
    out.push(`  start-up on an empty data dir ${(r.emptyStartupMs / 1000).toFixed(2)} s (the fixed cost)`);
    out.push(
      `  restart (spawn → serving) ${(r.startupMs / 1000).toFixed(2)} s; then RSS ${mib(r.afterRestart.rssBytes)}, open fds ${r.afterRestart.openFds}`,
    );
    out.push(
      `  ${r.liveSubscriptions.toLocaleString('en-US')} of ${r.subscriptions.toLocaleString('en-US')} idle subscriptions live: RSS ${mib(r.afterSubscribe.rssBytes)}, open fds ${r.afterSubscribe.openFds}, ` +
        `≈ ${(r.bytesPerSubscription / 1024).toFixed(1)} KiB per subscription`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (options.profileDir) {
    const profiles = readdirSync(options.profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(options.profileDir!, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    if (profiles[0]) {
      printProfile(profiles[0], 25);
      for (const window of profileWindows) printProfile(profiles[0], 15, window);
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`gateway bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
