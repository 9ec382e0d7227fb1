/**
 * Transactions through GraphQL (issue 12's figure): `--clients` transactional producers (default
 * 4), each running transactions of `size` records (100 and 1,000) one after the other for a fixed
 * time: beginTransaction, produce calls of at most 100 records of 100 B (acks ALL) to a 4-partition
 * topic, commitTransaction (a COMMIT marker per touched partition, the epoch bumped). Prints
 * transactions/s and records/s per size, next to plain produce of the same calls. The node is a
 * child process (bench/gateway's LogwayNode). Figures are printed, never asserted.
 * Run: npx tsc -p tsconfig.json && node dist/bench/producers/transactions.js [--seconds 5] [--clients 4]
 */
import { LogwayNode } from '../gateway/peers/logway-peer';

const RECORDS_PER_CALL = 100;
const VALUE = 'x'.repeat(100);
const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { partitions { count } } }`;

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function gql(url: string, query: string, variables?: object): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function run(
  url: string,
  topic: string,
  clients: number,
  seconds: number,
  size: number,
  transactional: boolean,
): Promise<{ transactions: number; records: number; elapsedS: number }> {
  const deadline = performance.now() + seconds * 1000;
  let transactions = 0;
  let records = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let producer = transactional
        ? (
            await gql(url, `mutation($id: String!) { initProducer(transactionalId: $id) { producerId epoch } }`, {
              id: `bench-${size}-${client}-${Date.now()}`,
            })
          ).initProducer
        : null;
      while (performance.now() < deadline) {
        if (producer) await gql(url, `mutation($p: ProducerIdentityInput!) { beginTransaction(producer: $p) }`, { p: producer });
        for (let sent = 0, sequence = 0; sent < size; sent += RECORDS_PER_CALL, sequence++) {
          const batch = Array.from({ length: Math.min(RECORDS_PER_CALL, size - sent) }, () => ({ value: VALUE }));
          await gql(url, PRODUCE, { input: { topic, records: batch, ...(producer ? { producer, sequence } : {}) } });
          records += batch.length;
        }
        if (producer) {
          await gql(url, `mutation($p: ProducerIdentityInput!) { commitTransaction(producer: $p) }`, { p: producer });
          producer = { ...producer, epoch: producer.epoch + 1 };
        }
        transactions += 1;
      }
    }),
  );
  return { transactions, records, elapsedS: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const seconds = flag('seconds', 5);
  const clients = flag('clients', 4);
  const node = await LogwayNode.start({ log: (line) => process.stderr.write(`${line}\n`) });
  try {
    await gql(node.url, `mutation { createTopic(input: { name: "bench-txn", partitions: 4 }) { name } }`);
    await run(node.url, 'bench-txn', clients, 1, 100, true); // warm-up
    for (const size of [100, 1_000]) {
      for (const mode of ['plain', 'transactional'] as const) {
        const { transactions, records, elapsedS } = await run(node.url, 'bench-txn', clients, seconds, size, mode === 'transactional');
        const unit = mode === 'transactional' ? 'transactions/s' : 'chunks/s';
        process.stdout.write(
          `transactions size-${size} ${mode} ${(transactions / elapsedS).toFixed(1)} ${unit} ${(records / elapsedS).toFixed(0)} records/s\n`,
        );
      }
    }
  } finally {
    await node.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
