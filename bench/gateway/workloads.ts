/**
 * The workloads, written once against the Peer interface and run unchanged on every system:
 * produce throughput, delivery rate to 1 and to N subscribers, and produce-to-subscriber latency
 * at a fixed rate. Every loop is bounded by a deadline; a run that does not finish in time
 * reports what it got and says so.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Peer, PeerProducer } from './peers/peer';
import { cpuSeconds, delayDelta, gcDelta, runQueueWaitNs, type DelayHistogram, type GcTotals, type ServerSnapshot } from './server-metrics';
import { makeValue, monotonicUs, percentile, sleep } from './stats';

/** The timed part of a run on the monotonic clock (µs), to cut the server's CPU profile to it. */
export type WindowUs = [number, number];

export interface ThroughputResult {
  records: number;
  bytes: number;
  seconds: number;
  recordsPerS: number;
  mbPerS: number;
  batchP50Ms: number;
  batchP99Ms: number;
  windowUs: WindowUs;
}

/** `clients` producers, each with its own connection, sending `batchRecords`-record batches until the deadline. */
export async function produceThroughput(
  peer: Peer,
  topic: string,
  options: { recordBytes: number; batchRecords: number; clients: number; durationMs: number },
): Promise<ThroughputResult> {
  await peer.createTopic(topic);
  const producers = await Promise.all(Array.from({ length: options.clients }, () => peer.producer()));
  const batches = producers.map((_, client) =>
    Array.from({ length: options.batchRecords }, (_, i) => makeValue(options.recordBytes, i, `c${client}-`)),
  );
  await Promise.all(producers.map((p, client) => p.send(topic, batches[client]!))); // warm-up: connections, JIT
  const batchMs: number[] = [];
  let records = 0;
  const startedUs = monotonicUs();
  const startedMs = performance.now();
  const deadlineMs = startedMs + options.durationMs;
  await Promise.all(
    producers.map(async (producer, client) => {
      while (performance.now() < deadlineMs) {
        const sentMs = performance.now();
        await producer.send(topic, batches[client]!);
        batchMs.push(performance.now() - sentMs);
        records += options.batchRecords;
      }
    }),
  );
  const seconds = (performance.now() - startedMs) / 1000;
  const windowUs: WindowUs = [startedUs, monotonicUs()];
  await Promise.all(producers.map((p) => p.close()));
  batchMs.sort((a, b) => a - b);
  const bytes = records * options.recordBytes;
  return {
    records,
    bytes,
    seconds,
    recordsPerS: records / seconds,
    mbPerS: bytes / 1_000_000 / seconds,
    batchP50Ms: percentile(batchMs, 0.5),
    batchP99Ms: percentile(batchMs, 0.99),
    windowUs,
  };
}

export interface DeliveryResult {
  subscribers: number;
  recordsPerSubscriber: number;
  delivered: number;
  seconds: number;
  /** Records delivered per second, summed over subscribers. */
  totalRecordsPerS: number;
  perSubscriberRecordsPerS: number;
  complete: boolean;
  windowUs: WindowUs;
}

/** Fills the topic, then `subscribers` clients read it from the start; timed until all have every record. */
export async function deliveryRate(
  peer: Peer,
  topic: string,
  options: { subscribers: number; records: number; recordBytes: number; timeoutMs: number },
): Promise<DeliveryResult> {
  await peer.createTopic(topic);
  await fill(peer, topic, options.records, options.recordBytes);
  const counts = new Array<number>(options.subscribers).fill(0);
  let finished = 0;
  let resolveAll: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const startedUs = monotonicUs();
  const startedMs = performance.now();
  const subscriptions = await Promise.all(
    counts.map((_, index) =>
      peer.subscribe(topic, 'earliest', (values) => {
        const before = counts[index]!;
        counts[index] = before + values.length;
        if (before < options.records && counts[index]! >= options.records && ++finished === options.subscribers) resolveAll();
      }),
    ),
  );
  const complete = await Promise.race([allDone.then(() => true), sleep(options.timeoutMs).then(() => false)]);
  const seconds = (performance.now() - startedMs) / 1000;
  const windowUs: WindowUs = [startedUs, monotonicUs()];
  await Promise.all(subscriptions.map((s) => s.close()));
  const delivered = counts.reduce((sum, count) => sum + Math.min(count, options.records), 0);
  return {
    subscribers: options.subscribers,
    recordsPerSubscriber: options.records,
    delivered,
    seconds,
    totalRecordsPerS: delivered / seconds,
    perSubscriberRecordsPerS: delivered / seconds / options.subscribers,
    complete,
    windowUs,
  };
}

async function fill(peer: Peer, topic: string, records: number, recordBytes: number): Promise<void> {
  const producers: PeerProducer[] = await Promise.all([peer.producer(), peer.producer()]);
  const batchRecords = 1_000;
  let next = 0;
  await Promise.all(
    producers.map(async (producer) => {
      while (next < records) {
        const from = next;
        next = Math.min(records, next + batchRecords);
        const values = Array.from({ length: next - from }, (_, i) => makeValue(recordBytes, from + i));
        await producer.send(topic, values);
      }
    }),
  );
  await Promise.all(producers.map((p) => p.close()));
}

export interface LatencyResult {
  sent: number;
  received: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  achievedRecordsPerS: number;
  /** The bench process's own event-loop delay while it ran (a stall here shows in every system's figures). */
  clientLoopDelayP99Ms: number;
  clientLoopDelayMaxMs: number;
  /** Server CPU over the window, % of one core. */
  serverCpuPercent: number;
  /** Share of the window the server's / the bench's main thread was runnable but not running (another process had the CPU), %. */
  serverRunQueuePercent: number;
  benchRunQueuePercent: number;
  /** The server's event-loop delay samples in the window (Logway), or null. */
  serverLoopDelay: DelayHistogram | null;
  /** The server's GC pauses in the window by kind (Logway), or null. */
  serverGc: GcTotals | null;
  windowUs: WindowUs;
}

/**
 * Open loop at a fixed rate: a call of `recordsPerCall` records every `tickMs`, each record stamped
 * with its call's send time, without waiting for earlier calls (waiting would hide queueing:
 * coordinated omission). A tick the bench woke up late for is still sent, at once, as its own
 * call, so the rate holds even though timers fire at 1 ms granularity at best. Latency = arrival
 * at the subscriber − stamp, same process and clock. The first second is warm-up. The bench's
 * own event-loop delay is measured alongside, so a stall of the load generator is told apart from
 * one of the server.
 */
export async function produceToSubscriberLatency(
  peer: Peer,
  topic: string,
  options: { recordsPerS: number; durationMs: number; recordBytes: number; tickMs?: number; inFlightMax?: number },
): Promise<LatencyResult> {
  const tickMs = options.tickMs ?? 1;
  const perTick = Math.max(1, Math.round((options.recordsPerS * tickMs) / 1000));
  const inFlightMax = options.inFlightMax ?? 500;
  await peer.createTopic(topic);
  const samples: number[] = [];
  let received = 0;
  const warmupEndMs = performance.now() + 1_000 + 500;
  const subscription = await peer.subscribe(topic, 'latest', (values) => {
    const nowMs = performance.now();
    for (const value of values) {
      received++;
      const stampMs = Number(value.slice(0, value.indexOf('|')));
      if (stampMs >= warmupEndMs) samples.push(nowMs - stampMs);
    }
  });
  await sleep(500); // let the subscription reach the log end before the first record
  const producer = await peer.producer();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  let serverBefore: ServerSnapshot | null = null;
  let cpuBefore = 0;
  let serverWaitBefore = 0;
  let benchWaitBefore = 0;
  let measuredFromMs = 0;
  const startedUs = monotonicUs();
  const startedMs = performance.now();
  let sent = 0;
  let inFlight = 0;
  let skipped = 0;
  const pending = new Set<Promise<void>>();
  const fillers = Array.from({ length: perTick }, (_, i) => makeValue(options.recordBytes, i));
  let tick = 0;
  while (performance.now() - startedMs < options.durationMs) {
    const nowMs = performance.now();
    if (measuredFromMs === 0 && nowMs >= warmupEndMs) {
      measuredFromMs = nowMs;
      loopDelay.enable();
      cpuBefore = cpuSeconds(peer.pid);
      serverWaitBefore = runQueueWaitNs(peer.pid);
      benchWaitBefore = runQueueWaitNs(process.pid);
      void peer.serverMetrics?.().then((snapshot) => {
        serverBefore = snapshot;
      });
    }
    for (; startedMs + tick * tickMs <= nowMs; tick++) {
      if (inFlight >= inFlightMax) {
        skipped++;
        continue;
      } // the system cannot keep up: the shortfall shows in sent
      const head = `${performance.now().toFixed(3)}|`;
      // Exactly recordBytes per value: the stamp replaces the start of a prepared value.
      const values = fillers.map((filler) => head + filler.slice(head.length));
      inFlight++;
      const send = producer.send(topic, values).finally(() => {
        inFlight--;
        pending.delete(send);
      });
      pending.add(send);
      sent += perTick;
    }
    await sleep(Math.max(0, startedMs + tick * tickMs - performance.now())); // always yield
  }
  loopDelay.disable();
  const windowS = (performance.now() - measuredFromMs) / 1000;
  const serverCpuPercent = ((cpuSeconds(peer.pid) - cpuBefore) / windowS) * 100;
  const serverRunQueuePercent = ((runQueueWaitNs(peer.pid) - serverWaitBefore) / 1e9 / windowS) * 100;
  const benchRunQueuePercent = ((runQueueWaitNs(process.pid) - benchWaitBefore) / 1e9 / windowS) * 100;
  const serverAfter = (await peer.serverMetrics?.()) ?? null;
  const before = serverBefore as ServerSnapshot | null;
  const achievedRecordsPerS = sent / ((performance.now() - startedMs) / 1000);
  const windowUs: WindowUs = [startedUs, monotonicUs()];
  await Promise.allSettled([...pending]);
  const drainDeadlineMs = performance.now() + 10_000;
  while (received < sent && performance.now() < drainDeadlineMs) await sleep(20);
  await subscription.close();
  await producer.close();
  if (skipped > 0) process.stderr.write(`latency: ${skipped} calls skipped with ${inFlightMax} in flight\n`);
  samples.sort((a, b) => a - b);
  return {
    sent,
    received,
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    p999Ms: percentile(samples, 0.999),
    maxMs: samples.at(-1) ?? NaN,
    achievedRecordsPerS,
    clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    clientLoopDelayMaxMs: loopDelay.max / 1e6,
    serverCpuPercent,
    serverRunQueuePercent,
    benchRunQueuePercent,
    serverLoopDelay: before?.delay && serverAfter?.delay ? delayDelta(before.delay, serverAfter.delay) : null,
    serverGc: before && serverAfter ? gcDelta(before.gc, serverAfter.gc) : null,
    windowUs,
  };
}

export interface CallCostResult {
  calls: number;
  delivered: number;
  /** Server CPU (user + system) per produce call, the subscriber's delivery of its records included. */
  serverCpuUsPerCall: number;
  /** Server GC pauses per 1,000 calls, by kind. */
  serverGcPer1000Calls: GcTotals | null;
  callP50Ms: number;
  /** The bench process's own CPU per call (its client side: HTTP, JSON, the subscriber's WebSocket). */
  benchCpuUsPerCall: number;
  windowUs: WindowUs;
}

/**
 * What one produce call costs the server, measured so that other load on the machine changes it
 * little: `calls` produce calls of `recordsPerCall` records, one after the other (each waits for
 * its ack, so no group commit shares the work), with one subscriber from LATEST receiving every
 * record; the server's CPU time and GC pauses over the run divided by the calls. A CPU-time
 * figure, not a latency: being descheduled costs no CPU time.
 */
export async function callCost(
  peer: Peer,
  topic: string,
  options: { calls: number; recordsPerCall: number; recordBytes: number },
): Promise<CallCostResult> {
  await peer.createTopic(topic);
  let delivered = 0;
  const subscription = await peer.subscribe(topic, 'latest', (values) => {
    delivered += values.length;
  });
  await sleep(500);
  const producer = await peer.producer();
  const values = Array.from({ length: options.recordsPerCall }, (_, i) => makeValue(options.recordBytes, i));
  for (let i = 0; i < 200; i++) await producer.send(topic, values); // warm-up: compiled paths, connections
  const target = delivered + options.calls * options.recordsPerCall;
  const before = (await peer.serverMetrics?.()) ?? null;
  const cpuBefore = cpuSeconds(peer.pid);
  const benchCpuBefore = process.cpuUsage();
  const startedUs = monotonicUs();
  const callMs: number[] = [];
  for (let i = 0; i < options.calls; i++) {
    const started = performance.now();
    await producer.send(topic, values);
    callMs.push(performance.now() - started);
  }
  const drainDeadlineMs = performance.now() + 10_000;
  while (delivered < target && performance.now() < drainDeadlineMs) await sleep(5);
  const cpu = cpuSeconds(peer.pid) - cpuBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const windowUs: WindowUs = [startedUs, monotonicUs()];
  const after = (await peer.serverMetrics?.()) ?? null;
  await subscription.close();
  await producer.close();
  callMs.sort((a, b) => a - b);
  const gc = before && after ? gcDelta(before.gc, after.gc) : null;
  if (gc)
    for (const entry of gc.values()) {
      entry.count = (entry.count * 1000) / options.calls;
      entry.seconds = (entry.seconds * 1000) / options.calls;
    }
  return {
    calls: options.calls,
    delivered: delivered - (target - options.calls * options.recordsPerCall),
    serverCpuUsPerCall: (cpu * 1e6) / options.calls,
    serverGcPer1000Calls: gc,
    callP50Ms: percentile(callMs, 0.5),
    benchCpuUsPerCall: (benchCpu.user + benchCpu.system) / options.calls,
    windowUs,
  };
}
