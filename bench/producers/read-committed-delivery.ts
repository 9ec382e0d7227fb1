/**
 * READ_COMMITTED vs READ_UNCOMMITTED delivery of a backlog (issue 12's figure, goal ≥ 0.9×): one
 * partition holding `--records` records of 100 B (default 200,000) in transactions of 100 records,
 * every tenth aborted (10% aborted records, each with its .txnindex entry), the markers between
 * them. A graphql-ws subscription from EARLIEST (maxBatch 1000) reads the whole backlog, alternating
 * isolation for `--rounds` rounds each (default 3); records/s delivered (the committed ones for
 * READ_COMMITTED) and the ratio of the best rounds. One node in this process; the transactions
 * are written straight into the partition's log as the transaction coordinator writes them (the
 * write side of issue 12 is not reachable through GraphQL from here). Prints, never asserts.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/producers/read-committed-delivery.js [--records 200000] [--rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import type { BrokerDeps } from '../../server/broker/broker-deps';
import { loadConfig } from '../../server/config';
import { startNode, type RunningNode } from '../../server/main';
import { encodeEndTransactionMarker } from '../../storage';

const TXN_RECORDS = 100;
const VALUE = Buffer.alloc(100, 0x61);

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** Writes the backlog; returns how many records are committed. */
async function writeBacklog(node: RunningNode, transactions: number): Promise<number> {
  const deps = (node.broker as unknown as { deps: BrokerDeps }).deps; // the broker keeps its registry private
  const runtime = deps.registry.requirePartition('bench-rc', 0);
  let committed = 0;
  for (let n = 0; n < transactions; n++) {
    const producerId = 1 + (n % 50);
    const records = Array.from({ length: TXN_RECORDS }, () => ({ key: null, value: VALUE, headers: [], timestampMs: Date.now() }));
    await runtime.log.append(records, {
      leaderEpoch: 0,
      producerId,
      producerEpoch: 0,
      baseSequence: Math.floor(n / 50),
      isTransactional: true,
    });
    const type = n % 10 === 9 ? 'ABORT' : 'COMMIT';
    await runtime.log.append([encodeEndTransactionMarker({ type, coordinatorEpoch: 0 }, Date.now())], {
      leaderEpoch: 0,
      producerId,
      producerEpoch: 0,
      baseSequence: -1,
      isTransactional: true,
      isControl: true,
    });
    if (type === 'COMMIT') committed += TXN_RECORDS;
  }
  await runtime.log.flush();
  runtime.replica.maybeIncrementLeaderHW();
  return committed;
}

function deliver(wsUrl: string, isolation: string, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const started = performance.now();
    let received = 0;
    const stop = client.subscribe<{ records: { records: unknown[] } }>(
      {
        query: `subscription { records(topic: "bench-rc", partitions: [0], from: EARLIEST, maxBatch: 1000, isolation: ${isolation}) { records { offset } } }`,
      },
      {
        next: (value) => {
          received += value.data!.records.records.length;
          if (received >= expected) {
            const seconds = (performance.now() - started) / 1000;
            stop();
            void Promise.resolve(client.dispose()).then(() => resolve(received / seconds));
          }
        },
        error: reject,
        complete: () => reject(new Error(`ended after ${received} of ${expected}`)),
      },
    );
  });
}

async function main(): Promise<void> {
  const recordCount = option('records', 200_000);
  const rounds = option('rounds', 3);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-rc-'));
  const node = await startNode(loadConfig(['--port', '0', '--data-dir', dataDir], {}), { logger: pino({ level: 'silent' }) });
  try {
    const create = `mutation { createTopic(input: { name: "bench-rc", partitions: 1, configs: [{ key: "flush.messages", value: "1000000" }] }) { name } }`;
    await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: create }) });
    const transactions = Math.ceil(recordCount / TXN_RECORDS);
    const committed = await writeBacklog(node, transactions);
    const total = transactions * TXN_RECORDS;
    process.stdout.write(`read-committed-delivery backlog records ${total} records (${total - committed} aborted)\n`);
    await deliver(node.wsUrl, 'READ_UNCOMMITTED', total); // warm-up
    const best = { READ_UNCOMMITTED: 0, READ_COMMITTED: 0 };
    for (let round = 0; round < rounds; round++) {
      for (const isolation of ['READ_UNCOMMITTED', 'READ_COMMITTED'] as const) {
        const rate = await deliver(node.wsUrl, isolation, isolation === 'READ_COMMITTED' ? committed : total);
        process.stdout.write(
          `read-committed-delivery ${isolation.toLowerCase()}-round${round + 1} records_per_s ${rate.toFixed(0)} records/s\n`,
        );
        best[isolation] = Math.max(best[isolation], rate);
      }
    }
    process.stdout.write(
      `read-committed-delivery best ratio ${(best.READ_COMMITTED / best.READ_UNCOMMITTED).toFixed(3)} read_committed/read_uncommitted\n`,
    );
  } finally {
    await node.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
