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
import { compareSides, deliveryRate, produceRate } from './hot-paths';

const ADMIN = 'bench-admin-secret-0123456789abcdef';
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

async function main(): Promise<void> {
  await compareSides('security', { base: 'auth-off', compared: 'auth-acls' }, async (secure) => {
    const setup = await setUp(secure);
    return {
      produce: (calls) => produceRate((query, variables) => gql(setup.node, setup.credential, query, variables), calls),
      deliver: (total) =>
        deliveryRate(
          createClient({
            url: setup.node.wsUrl,
            webSocketImpl: WebSocket,
            retryAttempts: 0,
            connectionParams: setup.credential ? { authorization: `Bearer ${setup.credential}` } : {},
          }),
          total,
        ),
      close: async () => {
        await setup.node.close();
        await rm(setup.dir, { recursive: true, force: true });
      },
    };
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
