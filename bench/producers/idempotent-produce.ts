/**
 * Idempotent vs plain produce through GraphQL (issue 12's figure, goal ≥ 0.9×): `--clients`
 * producers (default 4), each sending calls of 100 records of 100 B with acks ALL one after the
 * other for a fixed time, to a 4-partition topic, first plain, then with a producer id and a
 * sequence per call, twice alternating; records/s of each and the ratio of the best runs.
 * The node is a child process (bench/gateway's LogwayNode). Figures are printed, never asserted.
 * Run: npx tsc -p tsconfig.json && node dist/bench/producers/idempotent-produce.js [--seconds 5] [--clients 4]
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

async function run(url: string, topic: string, clients: number, seconds: number, idempotent: boolean): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let records = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const producer = idempotent ? (await gql(url, `mutation { initProducer { producerId epoch } }`)).initProducer : null;
      for (let sequence = 0; performance.now() < deadline; sequence++) {
        const batch = Array.from({ length: RECORDS_PER_CALL }, () => ({ value: VALUE }));
        await gql(url, PRODUCE, { input: { topic, records: batch, ...(producer ? { producer, sequence } : {}) } });
        records += RECORDS_PER_CALL;
      }
    }),
  );
  return records / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const seconds = flag('seconds', 5);
  const clients = flag('clients', 4);
  const node = await LogwayNode.start({ log: (line) => process.stderr.write(`${line}\n`) });
  try {
    await gql(node.url, `mutation { createTopic(input: { name: "bench-idem", partitions: 4 }) { name } }`);
    await run(node.url, 'bench-idem', clients, 1, false); // warm-up
    const best = { plain: 0, idempotent: 0 };
    for (let round = 0; round < 2; round++) {
      for (const mode of ['plain', 'idempotent'] as const) {
        const rate = await run(node.url, 'bench-idem', clients, seconds, mode === 'idempotent');
        process.stdout.write(`idempotent-produce ${mode}-round${round + 1} records_per_s ${rate.toFixed(0)} records/s\n`);
        best[mode] = Math.max(best[mode], rate);
      }
    }
    process.stdout.write(`idempotent-produce best ratio ${(best.idempotent / best.plain).toFixed(3)} idempotent/plain\n`);
  } finally {
    await node.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
