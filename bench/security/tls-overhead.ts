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
import { compareSides, deliveryRate, produceRate } from './hot-paths';

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

async function main(): Promise<void> {
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
  try {
    await compareSides('tls', { base: 'plain', compared: 'tls' }, async (tls) => {
      const setup = await setUp(tls, certDir);
      const ca = setup.ca;
      class Socket extends WebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols, ca ? { ca } : {});
        }
      }
      return {
        produce: (calls) => produceRate((query, variables) => post(setup, query, variables), calls),
        deliver: (total) => deliveryRate(createClient({ url: setup.node.wsUrl, webSocketImpl: Socket, retryAttempts: 0 }), total),
        close: async () => {
          setup.agent.destroy();
          await setup.node.close();
          await rm(setup.dir, { recursive: true, force: true });
        },
      };
    });
  } finally {
    await rm(certDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
