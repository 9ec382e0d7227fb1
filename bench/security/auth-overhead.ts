/**
 * What authentication and ACLs cost on the hot paths (issue #14's goal: at least 0.95× of auth
 * off): produce through GraphQL (1,000 × 100 B records per call, acks ALL, 4 clients) and
 * delivery to one graphql-ws subscriber, on a node with auth off and on one with --auth required,
 * an API key and 200 ACL bindings (the caller's own among them). Runs alternate off/on `--rounds`
 * times; the best of each is printed. Prints `security <case> <metric> <value> <unit>`; never asserts.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/security/auth-overhead.js [--rounds 3] [--calls 200]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { startNode, type RunningNode } from '../../server/main';

const ADMIN = 'bench-admin-secret-0123456789abcdef';
const RECORDS_PER_CALL = 1_000;
const CLIENTS = 4;

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function gql(node: RunningNode, credential: string | null, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(node.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

interface Setup {
  node: RunningNode;
  dir: string;
  credential: string | null;
}

async function setUp(secure: boolean): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-security-'));
  const flags = [
    '--port',
    '0',
    '--data-dir',
    dir,
    '--log-level',
    'silent',
    ...(secure ? ['--auth', 'required', '--bootstrap-admin-key', ADMIN] : []),
  ];
  const node = await startNode(loadConfig(flags, {}), { logger: pino({ level: 'silent' }) });
  let credential: string | null = null;
  await gql(node, secure ? ADMIN : null, 'mutation { createTopic(input: {name: "bench"}) { name } }');
  if (secure) {
    credential = (await gql(node, ADMIN, 'mutation { createApiKey(principal: "User:bench") { secret } }')).createApiKey.secret;
    const others = Array.from({ length: 198 }, (_, i) => ({
      principal: `User:other${i}`,
      resourceType: 'TOPIC',
      resourceName: `t${i}-`,
      patternType: 'PREFIXED',
      operation: 'READ',
    }));
    await gql(node, ADMIN, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', {
      a: [
        ...others,
        { principal: 'User:bench', resourceType: 'TOPIC', resourceName: 'bench', operation: 'WRITE' },
        { principal: 'User:bench', resourceType: 'TOPIC', resourceName: 'bench', operation: 'READ' },
      ],
    });
  }
  return { node, dir, credential };
}

async function produceRate(setup: Setup, calls: number): Promise<number> {
  const records = Array.from({ length: RECORDS_PER_CALL }, (_, i) => ({ value: `${i}`.padEnd(100, 'x') }));
  const query = 'mutation($r: [RecordInput!]!) { produce(input: {topic: "bench", records: $r}) { records { offset } } }';
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next++ < calls) await gql(setup.node, setup.credential, query, { r: records });
    }),
  );
  return (calls * RECORDS_PER_CALL) / ((performance.now() - started) / 1000);
}

async function deliveryRate(setup: Setup, total: number): Promise<number> {
  const client = createClient({
    url: setup.node.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: setup.credential ? { authorization: `Bearer ${setup.credential}` } : {},
  });
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

async function main(): Promise<void> {
  const rounds = arg('rounds', 3);
  const calls = arg('calls', 200);
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const secure of round % 2 === 0 ? [true, false] : [false, true]) {
      const setup = await setUp(secure);
      try {
        const label = secure ? 'auth-acls' : 'auth-off';
        const produced = await produceRate(setup, calls);
        const delivered = await deliveryRate(setup, calls * RECORDS_PER_CALL);
        best[`produce ${label}`] = Math.max(best[`produce ${label}`] ?? 0, produced);
        best[`deliver ${label}`] = Math.max(best[`deliver ${label}`] ?? 0, delivered);
      } finally {
        await setup.node.close();
        await rm(setup.dir, { recursive: true, force: true });
      }
    }
  }
  for (const what of ['produce', 'deliver']) {
    const off = best[`${what} auth-off`]!;
    const on = best[`${what} auth-acls`]!;
    console.log(`security ${what}-auth-off records_per_s ${Math.round(off)} records/s`);
    console.log(`security ${what}-auth-acls records_per_s ${Math.round(on)} records/s`);
    console.log(`security ${what} ratio ${(on / off).toFixed(3)} x`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
