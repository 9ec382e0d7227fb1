/**
 * What TLS costs on the hot paths (issue #14's "TLS vs plain" figure): produce through GraphQL
 * (1,000 × 100 B records per call, acks ALL, 4 clients on keep-alive connections) and delivery
 * of everything to one graphql-ws subscriber, on a plain node and on one with --tls-cert-file /
 * --tls-key-file (a P-256 certificate made with openssl for the run). The same client code runs
 * both (node:http or node:https with a keep-alive agent; ws or wss); runs alternate `--rounds`
 * times and the best of each is printed with the ratio. Prints `tls <case> <metric> <value> <unit>`;
 * never asserts.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/security/tls-overhead.js [--rounds 3] [--calls 200]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { startNode, type RunningNode } from '../../server/main';

const RECORDS_PER_CALL = 1_000;
const CLIENTS = 4;

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

interface Setup {
  node: RunningNode;
  dir: string;
  ca: Buffer | null;
  agent: http.Agent;
}

function post(setup: Setup, query: string, variables: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ query, variables });
  const send = setup.ca ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      setup.node.url,
      { method: 'POST', agent: setup.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => (text.includes('"errors"') ? reject(new Error(text.slice(0, 500))) : resolve()));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function setUp(tls: boolean, certDir: string): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-tls-'));
  const certFile = path.join(certDir, 'node.crt');
  const keyFile = path.join(certDir, 'node.key');
  const flags = [
    '--port',
    '0',
    '--data-dir',
    dir,
    '--log-level',
    'silent',
    '--max-requests-per-second',
    '0',
    ...(tls ? ['--tls-cert-file', certFile, '--tls-key-file', keyFile] : []),
  ];
  const node = await startNode(loadConfig(flags, {}), { logger: pino({ level: 'silent' }) });
  const ca = tls ? await readFile(certFile) : null;
  const agent = ca ? new https.Agent({ keepAlive: true, ca }) : new http.Agent({ keepAlive: true });
  const setup = { node, dir, ca, agent };
  await post(setup, 'mutation { createTopic(input: {name: "bench"}) { name } }', {});
  return setup;
}

async function produceRate(setup: Setup, calls: number): Promise<number> {
  const records = Array.from({ length: RECORDS_PER_CALL }, (_, i) => ({ value: `${i}`.padEnd(100, 'x') }));
  const query = 'mutation($r: [RecordInput!]!) { produce(input: {topic: "bench", records: $r}) { records { offset } } }';
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next++ < calls) await post(setup, query, { r: records });
    }),
  );
  return (calls * RECORDS_PER_CALL) / ((performance.now() - started) / 1000);
}

async function deliveryRate(setup: Setup, total: number): Promise<number> {
  const ca = setup.ca;
  class Socket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, ca ? { ca } : {});
    }
  }
  const client = createClient({ url: setup.node.wsUrl, webSocketImpl: Socket, retryAttempts: 0 });
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
  const certDir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(certDir, 'node.key'),
      '-out',
      path.join(certDir, 'node.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const best: Record<string, number> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const tls of round % 2 === 0 ? [true, false] : [false, true]) {
        const setup = await setUp(tls, certDir);
        try {
          const label = tls ? 'tls' : 'plain';
          best[`produce ${label}`] = Math.max(best[`produce ${label}`] ?? 0, await produceRate(setup, calls));
          best[`deliver ${label}`] = Math.max(best[`deliver ${label}`] ?? 0, await deliveryRate(setup, calls * RECORDS_PER_CALL));
        } finally {
          setup.agent.destroy();
          await setup.node.close();
          await rm(setup.dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await rm(certDir, { recursive: true, force: true });
  }
  for (const what of ['produce', 'deliver']) {
    const plain = best[`${what} plain`]!;
    const tls = best[`${what} tls`]!;
    console.log(`tls ${what}-plain records_per_s ${Math.round(plain)} records/s`);
    console.log(`tls ${what}-tls records_per_s ${Math.round(tls)} records/s`);
    console.log(`tls ${what} ratio ${(tls / plain).toFixed(3)} x`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
