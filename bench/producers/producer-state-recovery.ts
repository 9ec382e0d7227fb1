/**
 * Recovery time of producer state (issue 12's figure): one partition with the history of
 * `--producers` idempotent producers (default 100,000; 2 batches of 1 record each, fsync off),
 * reopened as after a kill -9 (no clean-shutdown marker: the writer's manager is never closed; a
 * second manager opens the directory the way a restarted node would) and after a clean close.
 * Two segment sizes: 1 GiB (no roll, so no snapshot: the whole log is replayed) and 1 MiB (a
 * snapshot at every roll: only the last segment is replayed). Printed next to the open time of a
 * log of the same size with plain batches, so the producer-state share shows. Never asserted.
 * Run: npx tsc -p tsconfig.json && node dist/bench/producers/producer-state-recovery.js [--producers 100000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LOG_CONFIG, LogManager, type LogConfig } from '../../storage/index';

const IN_FLIGHT = 64;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function fill(dir: string, config: LogConfig, producers: number, idempotent: boolean): Promise<LogManager> {
  const manager = await LogManager.open({ dataDir: dir, freeSpace: false });
  const log = await manager.openLog('bench', 0, config);
  let next = 0;
  const total = producers * 2;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < total) {
        const i = next++;
        const producerId = i % producers;
        const record = { key: null, value: Buffer.from(`value-${i}`), headers: [], timestampMs: Date.now() };
        await log.append(
          [record],
          idempotent ? { leaderEpoch: 0, producerId, producerEpoch: 0, baseSequence: Math.floor(i / producers) } : { leaderEpoch: 0 },
        );
      }
    }),
  );
  return manager;
}

async function timeOpen(dir: string, config: LogConfig): Promise<{ ms: number; producers: number; segments: number }> {
  const started = performance.now();
  const manager = await LogManager.open({ dataDir: dir, freeSpace: false });
  const log = await manager.openLog('bench', 0, config);
  const ms = performance.now() - started;
  const result = { ms, producers: log.producerState.size, segments: log.segmentCount };
  await manager.close();
  return result;
}

async function main(): Promise<void> {
  const producers = flag('producers', 100_000);
  const print = (kase: string, metric: string, value: number, unit: string) =>
    process.stdout.write(`producer-state-recovery ${kase} ${metric} ${value.toFixed(1)} ${unit}\n`);
  for (const segmentBytes of [1024 * 1024 * 1024, 1024 * 1024]) {
    const config: LogConfig = { ...DEFAULT_LOG_CONFIG, retentionMs: -1, segmentBytes, flushMessages: Number.MAX_SAFE_INTEGER };
    const label = segmentBytes >= 1024 ** 3 ? 'segment-1GiB' : 'segment-1MiB';
    for (const idempotent of [true, false]) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-pstate-'));
      try {
        const writer = await fill(dir, config, producers, idempotent);
        const crashed = await timeOpen(dir, config); // the writer never closed: an unclean open, as after kill -9
        const kind = idempotent ? 'idempotent' : 'plain';
        print(`${label}-${kind}-after-kill`, 'open_ms', crashed.ms, 'ms');
        if (idempotent) print(`${label}-${kind}-after-kill`, 'producers_loaded', crashed.producers, 'producers');
        await writer.close().catch(() => undefined); // its handles; the second manager already closed the log cleanly
        const clean = await timeOpen(dir, config);
        print(`${label}-${kind}-after-clean-close`, 'open_ms', clean.ms, 'ms');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
