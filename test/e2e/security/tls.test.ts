/**
 * TLS on the node's port (server/security/README.md "TLS"), with certificates the test makes with
 * openssl: HTTPS queries and WSS subscriptions (graphql-ws) work for a client that trusts the
 * certificate, plain HTTP to the port is refused unanswered, the CLI talks https:// with --ca-file
 * or NODE_EXTRA_CA_CERTS, SIGHUP serves a new certificate while an open WSS subscription keeps
 * receiving (and a bad file on reload keeps the old one), and a bad file at start exits 5.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { ChildProcess } from 'node:child_process';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { collect, startTestNode, waitFor, type TestNode } from '../../support/test-node';
import { makeSelfSignedCert, opensslAvailable, type TestCert } from '../../support/tls-certs';
import { collectRun, runCli, spawnCli, type CliRun } from '../../server/cli/run-cli';

if (!opensslAvailable()) throw new Error('these tests need the openssl command (apt-get install openssl)');

let dir: string;
let certA: TestCert;
let certB: TestCert;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'logway-tls-'));
  certA = makeSelfSignedCert(dir, 'a');
  certB = makeSelfSignedCert(dir, 'b');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One GraphQL POST over HTTPS trusting `ca` (the node's self-signed certificate). */
function httpsGql(
  url: string,
  ca: Buffer[],
  query: string,
  variables?: object,
): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables }));
  });
}

async function okGql(url: string, ca: Buffer[], query: string, variables?: object): Promise<any> {
  const { body } = await httpsGql(url, ca, query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function wssClient(url: string, ca: Buffer[]): Client {
  class TrustingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { ca });
    }
  }
  return createClient({ url, webSocketImpl: TrustingWebSocket, lazy: true, retryAttempts: 0 });
}

/** The fingerprint of the certificate a new handshake is served. */
function servedFingerprint(port: number, ca: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

/** Sends a plain HTTP request to the port; what comes back, and whether the socket was closed. */
function plainHttp(port: number): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ received: Buffer.concat(chunks), closed: true }));
  });
}

describe('TLS in process', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode(['--tls-cert-file', certA.certFile, '--tls-key-file', certA.keyFile]);
  });
  afterAll(async () => {
    await node?.stop();
  });

  test('the node serves https:// and wss:// only', () => {
    expect(node.node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(node.node.wsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  test('an HTTPS query and mutation work for a client trusting the certificate, with HSTS', async () => {
    const created = await httpsGql(node.node.url, [certA.pem], 'mutation { createTopic(input: {name: "tls-q"}) { name } }');
    expect(created.status).toBe(200);
    expect(created.body.data.createTopic.name).toBe('tls-q');
    expect(created.headers['strict-transport-security']).toBe('max-age=31536000');
    await okGql(
      node.node.url,
      [certA.pem],
      'mutation { produce(input: {topic: "tls-q", records: [{value: "x"}]}) { records { offset } } }',
    );
    const read = await okGql(node.node.url, [certA.pem], '{ records(topic: "tls-q", partition: 0) { records { value } } }');
    expect(read.records.records).toEqual([{ value: 'x' }]);
  });

  test('a client that does not trust the certificate fails the handshake', async () => {
    await expect(httpsGql(node.node.url, [], '{ topics { name } }')).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  test('a WSS subscription with the graphql-ws client receives records', async () => {
    await okGql(node.node.url, [certA.pem], 'mutation { createTopic(input: {name: "tls-ws"}) { name } }');
    const client = wssClient(node.node.wsUrl, [certA.pem]);
    try {
      const sub = collect(
        client,
        'subscription { records(topic: "tls-ws", from: EARLIEST) { records { value } } }',
        {},
        (events) => events.flatMap((e: any) => e.records.records).length >= 2,
      );
      await okGql(
        node.node.url,
        [certA.pem],
        'mutation { produce(input: {topic: "tls-ws", records: [{value: "1"}, {value: "2"}]}) { records { offset } } }',
      );
      const events = await sub.done;
      expect(events.flatMap((e: any) => e.records.records.map((r: any) => r.value))).toEqual(['1', '2']);
    } finally {
      await client.dispose();
    }
  });

  test('plain HTTP to the TLS port is closed without an HTTP answer, and the node keeps serving', async () => {
    const { received, closed } = await plainHttp(node.node.port);
    expect(closed).toBe(true);
    expect(received.toString('latin1')).not.toContain('HTTP/');
    await expect(
      fetch(node.node.url.replace('https:', 'http:'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ topics { name } }"}',
      }),
    ).rejects.toThrow();
    const ws = new WebSocket(node.node.wsUrl.replace('wss:', 'ws:'), 'graphql-transport-ws');
    const wsOutcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(wsOutcome).toBe('error');
    expect((await okGql(node.node.url, [certA.pem], '{ topics { name } }')).topics.length).toBeGreaterThan(0);
  });
});

/** Resolves with the node's URL once `logway start` logged "logway node started"; collects its log lines. */
function started(child: ChildProcess, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const parts = seen.split('\n');
      seen = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"logway node started"')) resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.on('close', () => reject(new Error(`logway start exited before serving: ${lines.join('\n')}`)));
  });
}

describe('logway start with TLS', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-tls-node-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('SIGHUP serves the new certificate while an open WSS subscription keeps receiving; a bad file keeps the old one', async () => {
    const certFile = path.join(dir, 'live.crt');
    const keyFile = path.join(dir, 'live.key');
    await copyFile(certA.certFile, certFile);
    await copyFile(certA.keyFile, keyFile);
    const child = spawnCli(['start', '--port', '0', '--data-dir', dataDir, '--tls-cert-file', certFile, '--tls-key-file', keyFile]);
    child.stdin!.end();
    const run = collectRun(child, 60_000);
    const lines: string[] = [];
    const url = await started(child, lines);
    const port = Number(new URL(url).port);
    const both = [certA.pem, certB.pem];
    const wsUrl = url.replace('https:', 'wss:');
    const client = wssClient(wsUrl, both);
    try {
      expect(await servedFingerprint(port, both)).toBe(certA.fingerprint256);
      await okGql(url, both, 'mutation { createTopic(input: {name: "reload"}) { name } }');
      const values = () => sub.events.flatMap((e: any) => e.records.records.map((r: any) => r.value));
      const sub = collect(client, 'subscription { records(topic: "reload", from: EARLIEST) { records { value } } }', {}, () => false);
      await okGql(url, both, 'mutation { produce(input: {topic: "reload", records: [{value: "before"}]}) { records { offset } } }');
      await waitFor(() => values().length === 1, 10_000, 'the first record');

      await copyFile(certB.certFile, certFile);
      await copyFile(certB.keyFile, keyFile);
      child.kill('SIGHUP');
      await waitFor(() => lines.some((l) => l.includes('"TLS certificate reloaded"')), 10_000, 'the reload log line');
      expect(await servedFingerprint(port, both)).toBe(certB.fingerprint256);
      // Only B is trusted now: the new handshake of this request proves the new certificate is served.
      await okGql(url, [certB.pem], 'mutation { produce(input: {topic: "reload", records: [{value: "after"}]}) { records { offset } } }');
      await waitFor(() => values().length === 2, 10_000, 'the record produced after the reload, on the old socket');
      expect(values()).toEqual(['before', 'after']);

      await writeFile(certFile, 'not a certificate\n');
      child.kill('SIGHUP');
      await waitFor(
        () => lines.some((l) => l.includes('"TLS reload failed: keeping the previous certificate"')),
        10_000,
        'the failed reload log line',
      );
      expect(lines.find((l) => l.includes('TLS reload failed'))).toContain('"level":50');
      expect(await servedFingerprint(port, both)).toBe(certB.fingerprint256);
      await okGql(url, [certB.pem], 'mutation { produce(input: {topic: "reload", records: [{value: "still"}]}) { records { offset } } }');
      await waitFor(() => values().length === 3, 10_000, 'a record after the failed reload');
      sub.stop();
    } finally {
      await client.dispose();
      child.kill('SIGTERM');
    }
    expect((await run).code).toBe(0);
  });

  test('the CLI talks https:// with --ca-file, LOGWAY_CA_FILE or NODE_EXTRA_CA_CERTS, and refuses an untrusted certificate', async () => {
    const child = spawnCli([
      'start',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--tls-cert-file',
      certA.certFile,
      '--tls-key-file',
      certA.keyFile,
    ]);
    child.stdin!.end();
    const run = collectRun(child, 60_000);
    const url = await started(child, []);
    try {
      const created = await runCli(['topics', 'create', 'cli-tls', '--ca-file', certA.certFile], { url });
      expect(created).toMatchObject({ code: 0, stderr: '' });
      const produced = await runCli(['produce', 'cli-tls'], { url, stdin: 'one\ntwo\n', env: { LOGWAY_CA_FILE: certA.certFile } });
      expect(produced.code).toBe(0);
      const consumed = await runCli(['consume', 'cli-tls', '--from', 'earliest', '--max', '2'], {
        url,
        env: { NODE_EXTRA_CA_CERTS: certA.certFile },
      });
      expect(consumed).toMatchObject({ code: 0, stdout: 'one\ntwo\n' });
      const consumedWithFlag = await runCli(['consume', 'cli-tls', '--from', 'earliest', '--max', '1', '--ca-file', certA.certFile], {
        url,
      });
      expect(consumedWithFlag).toMatchObject({ code: 0, stdout: 'one\n' });
      const untrusted = await runCli(['topics', 'list'], { url });
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(
        /^error: NODE_UNREACHABLE: cannot reach https:\/\/127\.0\.0\.1:\d+\/graphql: DEPTH_ZERO_SELF_SIGNED_CERT/,
      );
      const wrongCa = await runCli(['topics', 'list', '--ca-file', certB.certFile], { url });
      expect(wrongCa.code).toBe(1);
      const missingCa = await runCli(['topics', 'list', '--ca-file', path.join(dir, 'nope.pem')], { url });
      expect(missingCa.code).toBe(2);
      expect(missingCa.stderr).toMatch(/^error: USAGE: --ca-file \/ LOGWAY_CA_FILE .*nope\.pem cannot be read: ENOENT/);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await run).code).toBe(0);
  });

  async function startWith(certFile: string, keyFile: string): Promise<CliRun> {
    return runCli(['start', '--port', '0', '--data-dir', dataDir, '--tls-cert-file', certFile, '--tls-key-file', keyFile], {
      timeoutMs: 30_000,
    });
  }

  test('a missing, non-PEM or mismatched certificate or key exits 5 with one line, before the data dir is touched', async () => {
    const garbage = path.join(dir, 'garbage.pem');
    await writeFile(garbage, 'hello\n');
    const cases: [string, string, RegExp][] = [
      [
        path.join(dir, 'missing.crt'),
        certA.keyFile,
        /^error: TLS_CONFIG_INVALID: cannot read the TLS certificate file .*missing\.crt: ENOENT\n$/,
      ],
      [garbage, certA.keyFile, /^error: TLS_CONFIG_INVALID: the TLS certificate file .*garbage\.pem is not PEM/],
      [certA.certFile, garbage, /^error: TLS_CONFIG_INVALID: the TLS key file .*garbage\.pem is not PEM/],
      [certA.keyFile, certA.keyFile, /^error: TLS_CONFIG_INVALID: --tls-cert-file .*a\.key is not a PEM certificate/],
      [
        certA.certFile,
        certB.keyFile,
        /^error: TLS_CONFIG_INVALID: --tls-key-file .*b\.key is not the key of the certificate in .*a\.crt\n$/,
      ],
    ];
    for (const [certFile, keyFile, stderr] of cases) {
      const run = await startWith(certFile, keyFile);
      expect({ certFile, keyFile, code: run.code }).toEqual({ certFile, keyFile, code: 5 });
      expect(run.stderr).toMatch(stderr);
      expect(run.stdout).not.toContain('"stack"');
    }
    expect(existsSync(path.join(dataDir, 'catalog.db'))).toBe(false);
    expect(existsSync(path.join(dataDir, '.lock'))).toBe(false);
  });
});
