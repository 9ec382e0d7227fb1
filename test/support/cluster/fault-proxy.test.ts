/**
 * The fault tests' userspace TCP proxy (fault-proxy.ts) against a real echo server on loopback:
 * pass, delay (order kept, the bytes held back until their time), drop (nothing through, the
 * connection reset once it heals), cut (reset now and on accept), and a fault per identified peer.
 */
import net from 'node:net';
import { FaultProxy, identifyClusterPeer } from './fault-proxy';

let echo: net.Server;
let echoPort: number;
const proxies: FaultProxy[] = [];
const sockets: net.Socket[] = [];

beforeAll(async () => {
  echo = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  echoPort = (echo.address() as net.AddressInfo).port;
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const proxy of proxies.splice(0)) await proxy.close();
});

afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

async function proxy(identify = false): Promise<FaultProxy> {
  const started = await FaultProxy.start({ targetPort: echoPort, ...(identify ? { identify: identifyClusterPeer } : {}) });
  proxies.push(started);
  return started;
}

/** A client on the proxy that collects what comes back and records how its connection ended (also when it is reset before it connected). */
function connect(port: number): Promise<{ socket: net.Socket; received: () => string; ended: Promise<string> }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const ended = new Promise<string>((done) => {
      socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
      socket.on('close', () => done('closed'));
    });
    socket.once('connect', () => resolve({ socket, received: () => received, ended }));
    socket.once('error', () => resolve({ socket, received: () => received, ended }));
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The head of a cluster-protocol request from `replicaId` (docs/CLUSTER-PROTOCOL.md "Frames"), as latin1 text. */
function requestHead(replicaId: number): string {
  const head = Buffer.alloc(16);
  head.writeInt32BE(100, 0);
  head.writeInt16BE(1, 4);
  head.writeInt16BE(1, 6);
  head.writeInt32BE(7, 8);
  head.writeInt32BE(replicaId, 12);
  return head.toString('latin1');
}

describe('fault proxy', () => {
  it('passes bytes both ways', async () => {
    const p = await proxy();
    const client = await connect(p.port);
    client.socket.write('hello');
    await until('the echo', () => client.received() === 'hello');
    expect(p.openConnections()).toBe(1);
  });

  it('holds bytes back while delaying and delivers them in order afterwards', async () => {
    const p = await proxy();
    const client = await connect(p.port);
    p.set({ delayMs: 400 });
    client.socket.write('a');
    client.socket.write('b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.received()).toBe(''); // not through yet: each direction waits 400 ms
    p.set('pass');
    client.socket.write('c');
    await until('all three bytes', () => client.received().length === 3);
    expect(client.received()).toBe('abc');
  });

  it('drops everything while blackholed, then resets the connection that lost bytes; a new one passes', async () => {
    const p = await proxy();
    const client = await connect(p.port);
    p.set('drop');
    client.socket.write('lost');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.received()).toBe('');
    expect(p.openConnections()).toBe(1); // the connection is still open: a blackhole, not a refusal
    p.heal();
    expect(await client.ended).toMatch(/ECONNRESET|closed/);
    const again = await connect(p.port);
    again.socket.write('back');
    await until('the echo after healing', () => again.received() === 'back');
  });

  it('cuts open connections and resets new ones until healed', async () => {
    const p = await proxy();
    const client = await connect(p.port);
    client.socket.write('x');
    await until('the echo', () => client.received() === 'x');
    p.set('cut');
    expect(await client.ended).toMatch(/ECONNRESET|closed/);
    const refused = await connect(p.port);
    refused.socket.write('y');
    expect(await refused.ended).toMatch(/ECONNRESET|closed/);
    expect(refused.received()).toBe('');
    p.heal();
    const again = await connect(p.port);
    again.socket.write('z');
    await until('the echo after healing', () => again.received() === 'z');
  });

  it("applies a peer's own fault to that peer's connections only (peers named by the cluster protocol's replicaId)", async () => {
    const p = await proxy(true);
    const one = await connect(p.port);
    const two = await connect(p.port);
    one.socket.write(requestHead(1));
    two.socket.write(requestHead(2));
    await until('both echoes', () => one.received().length === 16 && two.received().length === 16);
    expect([p.accepted.get('1'), p.accepted.get('2')]).toEqual([1, 1]);

    p.set('drop', '2');
    one.socket.write('1');
    two.socket.write('2');
    await until("peer 1's echo", () => one.received().length === 17);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(two.received().length).toBe(16); // peer 2's byte vanished

    p.set('cut', '1');
    expect(await one.ended).toMatch(/ECONNRESET|closed/);
    const refused = await connect(p.port);
    refused.socket.write(requestHead(1));
    expect(await refused.ended).toMatch(/ECONNRESET|closed/);
    const three = await connect(p.port);
    three.socket.write(requestHead(3));
    await until('an unnamed peer passes', () => three.received().length === 16);
  });
});
