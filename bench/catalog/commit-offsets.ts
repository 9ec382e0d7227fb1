/**
 * Offset commits per second through the catalog, for batches of 1 and 100 offsets, on both write
 * paths behind Catalog.commitOffsets: prepared better-sqlite3 statements (the default) and Prisma
 * upserts in an interactive transaction. Each commit is one transaction with synchronous=FULL,
 * so a commit includes one fsync of the WAL: the figures depend on the disk as much as on code.
 * Commits are awaited one at a time (the catalog serves one call at a time anyway).
 *
 * Run: node dist/bench/catalog/commit-offsets.js [--seconds 3] [--dir <path>]
 * Prints figures, never asserts (docs/HOUSE-STYLE.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCatalog } from '../../server/catalog/prisma-catalog';

const PARTITIONS = 100;
const COMMITS_MAX = 50_000;

function argument(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function measure(path: 'prepared' | 'prisma', batchSize: number, seconds: number, dir: string): Promise<void> {
  const catalog = await openCatalog({ databaseFile: join(dir, `${path}-${batchSize}.db`), offsetCommits: path });
  const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({
    topic: 'orders',
    partition,
    leaderId: 1,
    leaderEpoch: 0,
    replicas: [1],
    isr: [1],
  }));
  await catalog.createTopic({ name: 'orders', internal: false, partitionCount: PARTITIONS, replicationFactor: 1, configs: {} }, partitions);
  const batch = (round: number) =>
    Array.from({ length: batchSize }, (_, i) => ({
      topic: 'orders',
      partition: (round + i) % PARTITIONS,
      offset: round * batchSize + i,
      metadata: null,
      commitTimeMs: Date.now(),
    }));
  for (let round = 0; round < 50; round += 1) await catalog.commitOffsets('warm-up', batch(round));
  const deadlineNs = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const startNs = process.hrtime.bigint();
  let commits = 0;
  while (commits < COMMITS_MAX && process.hrtime.bigint() < deadlineNs) {
    await catalog.commitOffsets('bench', batch(commits));
    commits += 1;
  }
  const elapsedS = Number(process.hrtime.bigint() - startNs) / 1e9;
  await catalog.close();
  const perSecond = commits / elapsedS;
  console.log(
    `${path.padEnd(9)} batch ${String(batchSize).padStart(3)}: ${perSecond.toFixed(0).padStart(6)} commits/s ` +
      `${(perSecond * batchSize).toFixed(0).padStart(8)} offsets/s ${((elapsedS / commits) * 1000).toFixed(3).padStart(8)} ms/commit`,
  );
}

async function main(): Promise<void> {
  const seconds = Number(argument('--seconds') ?? 3);
  const dir = argument('--dir') ?? mkdtempSync(join(tmpdir(), 'logway-bench-catalog-'));
  try {
    for (const batchSize of [1, 100]) {
      for (const path of ['prisma', 'prepared'] as const) await measure(path, batchSize, seconds, dir);
    }
  } finally {
    if (argument('--dir') === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
