/**
 * The two hot paths the security benches compare on two nodes (auth-overhead.ts: auth off / auth
 * with ACLs; tls-overhead.ts: plain / TLS): produce through GraphQL (1,000 × 100 B records per call,
 * acks ALL, 4 clients) and delivery of everything to one graphql-ws subscriber. Each bench gives
 * its own way to post and to open the socket; the rounds alternate which side goes first and the
 * best of each is printed with the ratio (`<bench> <case> <metric> <value> <unit>`). Never asserts.
 */
import type { Client } from 'graphql-ws';

export const RECORDS_PER_CALL = 1_000;
const CLIENTS = 4;

export function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** Records per second of `calls` produce calls of RECORDS_PER_CALL records, CLIENTS at a time; `post` rejects on GraphQL errors. */
export async function produceRate(
  post: (query: string, variables: Record<string, unknown>) => Promise<unknown>,
  calls: number,
): Promise<number> {
  const records = Array.from({ length: RECORDS_PER_CALL }, (_, i) => ({ value: `${i}`.padEnd(100, 'x') }));
  const query = 'mutation($r: [RecordInput!]!) { produce(input: {topic: "bench", records: $r}) { records { offset } } }';
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next++ < calls) await post(query, { r: records });
    }),
  );
  return (calls * RECORDS_PER_CALL) / ((performance.now() - started) / 1000);
}

/** Records per second delivered to one `records` subscription from EARLIEST until `total` arrived; disposes the client. */
export async function deliveryRate(client: Client, total: number): Promise<number> {
  try {
    const started = performance.now();
    let seen = 0;
    const iterator = client.iterate<{ records: { records: { offset: number }[] } }>({
      query: 'subscription { records(topic: "bench", from: EARLIEST, maxBatch: 5000) { records { offset value } } }',
    });
    for await (const event of iterator) {
      if (event.errors) throw new Error(JSON.stringify(event.errors));
      seen += event.data!.records.records.length;
      if (seen >= total) break;
    }
    return seen / ((performance.now() - started) / 1000);
  } finally {
    await client.dispose();
  }
}

export interface Side {
  produce(calls: number): Promise<number>;
  deliver(total: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * `rounds` rounds, each setting up both sides in turn (the order alternating), measuring produce
 * then delivery; prints the best of each side and `compared / base` as the ratio.
 */
export async function compareSides(
  bench: string,
  labels: { base: string; compared: string },
  setUp: (compared: boolean) => Promise<Side>,
): Promise<void> {
  const rounds = arg('rounds', 3);
  const calls = arg('calls', 200);
  const best: Record<string, number> = {};
  const keep = (key: string, value: number) => (best[key] = Math.max(best[key] ?? 0, value));
  for (let round = 0; round < rounds; round++) {
    for (const compared of round % 2 === 0 ? [true, false] : [false, true]) {
      const side = await setUp(compared);
      const label = compared ? labels.compared : labels.base;
      try {
        keep(`produce ${label}`, await side.produce(calls));
        keep(`deliver ${label}`, await side.deliver(calls * RECORDS_PER_CALL));
      } finally {
        await side.close();
      }
    }
  }
  for (const what of ['produce', 'deliver']) {
    const base = best[`${what} ${labels.base}`]!;
    const compared = best[`${what} ${labels.compared}`]!;
    console.log(`${bench} ${what}-${labels.base} records_per_s ${Math.round(base)} records/s`);
    console.log(`${bench} ${what}-${labels.compared} records_per_s ${Math.round(compared)} records/s`);
    console.log(`${bench} ${what} ratio ${(compared / base).toFixed(3)} x`);
  }
}
