/**
 * Redis Streams under test: Debian's redis-server with the append-only file on and
 * `appendfsync everysec` (Redis' recommended durable setting), RDB snapshots off, a temp dir, on
 * loopback; the `ioredis` client. A topic is one stream key. Producers pipeline one XADD per
 * record and wait for the replies; subscribers loop on XREAD BLOCK from their last id.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startProcess, which, type StartedProcess } from '../child-process';
import { freePort } from '../../../test/support/free-port';
import type { Peer, PeerProducer, PeerSubscription } from './peer';

type XReadReply = [string, [string, string[]][]][] | null;

export class RedisPeer implements Peer {
  readonly name = 'Redis Streams';
  readonly durability = 'reply after write(2) to the AOF; fsync once a second (appendfsync everysec)';
  private readonly clients = new Set<Redis>();

  private constructor(
    private readonly server: StartedProcess,
    private readonly port: number,
    private readonly dir: string,
  ) {}

  static available(): string | null {
    return which('redis-server') ? null : 'redis-server is not installed (apt-get install -y redis-server)';
  }

  static async start(): Promise<RedisPeer> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-redis-'));
    const port = await freePort();
    const { process: server } = await startProcess({
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--protected-mode',
        'no',
      ],
      ready: /Ready to accept connections/,
      readyTimeoutMs: 30_000,
    });
    return new RedisPeer(server, port, dir);
  }

  get pid(): number {
    return this.server.pid;
  }

  private client(): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.port, maxRetriesPerRequest: 1, lazyConnect: false });
    this.clients.add(client);
    return client;
  }

  async createTopic(): Promise<void> {
    // A stream key comes into being with its first XADD.
  }

  async producer(): Promise<PeerProducer> {
    const client = this.client();
    return {
      async send(topic, values) {
        const pipeline = client.pipeline();
        for (const value of values) pipeline.xadd(topic, '*', 'v', value);
        const replies = await pipeline.exec();
        const failed = replies?.find(([error]) => error);
        if (failed) throw failed[0];
      },
      close: async () => {
        this.clients.delete(client);
        client.disconnect();
      },
    };
  }

  async subscribe(topic: string, from: 'earliest' | 'latest', onValues: (values: string[]) => void): Promise<PeerSubscription> {
    const client = this.client();
    // '$' would be re-evaluated on every XREAD that times out, losing what arrived in between:
    // resolve "latest" once to the id of the last entry now.
    const newest = from === 'latest' ? await client.xrevrange(topic, '+', '-', 'COUNT', 1) : [];
    let lastId = newest[0]?.[0] ?? '0-0';
    let closed = false;
    const pump = (async () => {
      while (!closed) {
        const reply = (await client.xread('COUNT', 1000, 'BLOCK', 200, 'STREAMS', topic, lastId)) as XReadReply;
        const entries = reply?.[0]?.[1];
        if (!entries || entries.length === 0) continue;
        lastId = entries[entries.length - 1]![0];
        onValues(entries.map(([, fields]) => fields[1]!));
      }
    })().catch((error: unknown) => {
      if (!closed) process.stderr.write(`redis subscriber failed: ${(error as Error).message}\n`);
    });
    return {
      close: async () => {
        closed = true;
        await pump;
        this.clients.delete(client);
        client.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    await this.server.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
