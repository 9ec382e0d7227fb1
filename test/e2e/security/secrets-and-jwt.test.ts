/**
 * No secret in plaintext in the data dir or the logs (only a salted scrypt hash is stored), and
 * JWT bearer tokens: a good one is `User:<sub>`; expired, wrongly signed, wrong issuer/audience
 * and HS256 tokens are refused. Keys are generated here with jose.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../../../server/config';
import { startNode, type RunningNode } from '../../../server/main';

const ADMIN = 'bootstrap-secret-never-stored-4242';
let dir: string;
let node: RunningNode | null = null;
let logFile: string;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: PrivateKey;
let otherKey: PrivateKey;

async function post(credential: string, query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(node!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

function token(key: PrivateKey, claims: { sub?: string; iss?: string; aud?: string; exp?: number }, alg = 'ES256'): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg, kid: 'k1' }).setIssuedAt();
  if (claims.sub) jwt.setSubject(claims.sub);
  jwt.setIssuer(claims.iss ?? 'https://issuer.test').setAudience(claims.aud ?? 'logway');
  jwt.setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600);
  return jwt.sign(key);
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(root)) {
    const full = path.join(root, name);
    if ((await stat(full)).isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'logway-secrets-'));
  const pair = await generateKeyPair('ES256', { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwksFile = path.join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
  logFile = path.join(dir, 'node.log');
  const config = loadConfig(
    [
      '--port',
      '0',
      '--data-dir',
      path.join(dir, 'data'),
      '--auth',
      'required',
      '--bootstrap-admin-key',
      ADMIN,
      '--jwt-jwks-file',
      jwksFile,
      '--jwt-issuer',
      'https://issuer.test',
      '--jwt-audience',
      'logway',
    ],
    {},
  );
  node = await startNode(config, { logger: pino({ level: 'trace' }, pino.destination({ dest: logFile, sync: true })) });
});

afterAll(async () => {
  await node?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('secrets', () => {
  test("neither the bootstrap secret nor a created key's secret is in the data dir or the logs", async () => {
    const created = (await post(ADMIN, 'mutation { createApiKey(principal: "User:zed", description: "ci") { id secret } }')).body.data
      .createApiKey;
    expect((await post(created.secret, '{ whoami }')).body.data.whoami).toBe('User:zed');
    expect((await post(ADMIN, 'mutation { createTopic(input: {name: "t"}) { name } }')).status).toBe(200);
    await node!.close();
    node = null;
    const randomPart = created.secret.slice('lw_0123456789abcdef_'.length);
    const files = [...(await filesUnder(path.join(dir, 'data'))), logFile];
    expect(files.some((f) => f.endsWith('catalog.db'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      expect({ file, hasAdmin: bytes.includes(ADMIN), hasKey: bytes.includes(randomPart) }).toEqual({
        file,
        hasAdmin: false,
        hasKey: false,
      });
    }
    // The audit line for the key is there, with its principal.
    expect(await readFile(logFile, 'utf8')).toContain('"action":"createApiKey"');
  });
});

describe('JWT', () => {
  beforeAll(async () => {
    if (!node) {
      const config = loadConfig(
        [
          '--port',
          '0',
          '--data-dir',
          path.join(dir, 'data'),
          '--auth',
          'required',
          '--jwt-jwks-file',
          path.join(dir, 'jwks.json'),
          '--jwt-issuer',
          'https://issuer.test',
          '--jwt-audience',
          'logway',
        ],
        {},
      );
      node = await startNode(config, { logger: pino({ level: 'silent' }) });
    }
  });

  test('a valid token is User:<sub>', async () => {
    expect((await post(await token(signingKey, { sub: 'svc-billing' }), '{ whoami }')).body.data.whoami).toBe('User:svc-billing');
  });

  test('expired, wrongly signed, wrong issuer or audience, no sub, and HS256 tokens are refused', async () => {
    const hsKey = new TextEncoder().encode('a-shared-secret-of-32-bytes-long!');
    const bad = [
      await token(signingKey, { sub: 'a', exp: Math.floor(Date.now() / 1000) - 3600 }),
      await token(otherKey, { sub: 'a' }),
      await token(signingKey, { sub: 'a', iss: 'https://evil.test' }),
      await token(signingKey, { sub: 'a', aud: 'other' }),
      await token(signingKey, {}),
      await new SignJWT({ sub: 'a' })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .setIssuer('https://issuer.test')
        .setAudience('logway')
        .setExpirationTime('10m')
        .sign(hsKey),
    ];
    for (const jwt of bad) {
      const result = await post(jwt, '{ whoami }');
      expect({ status: result.status, code: result.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  test('a WebSocket authenticated with a JWT is closed with 4403 when the token expires', async () => {
    // exp a few seconds ahead: the socket must be accepted first (a loaded machine may take a while to connect).
    const jwt = await token(signingKey, { sub: 'short-lived', exp: Math.floor(Date.now() / 1000) + 5 });
    let closedWith: (code: number) => void = () => undefined;
    let connectedNow: () => void = () => undefined;
    const closed = new Promise<number>((resolve) => (closedWith = resolve));
    const connected = new Promise<void>((resolve) => (connectedNow = resolve));
    const client = createClient({
      url: node!.wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      connectionParams: { authorization: `Bearer ${jwt}` },
      on: { connected: () => connectedNow(), closed: (event) => closedWith((event as { code: number }).code) },
    });
    try {
      expect(await Promise.race([connected.then(() => 'connected'), closed.then((code) => `closed ${code}`)])).toBe('connected');
      expect(await closed).toBe(4403);
    } finally {
      await client.dispose();
    }
  });
});
