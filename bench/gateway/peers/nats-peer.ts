/**
 * NATS JetStream under test: Debian's nats-server with JetStream on, file storage in a temp dir,
 * on loopback; the `nats` npm client. A topic is a stream with one subject. Producers publish a
 * batch as concurrent js.publish calls and wait for every PubAck; subscribers are ordered push
 * consumers (deliver all / new, flow control), which is how a JetStream app tails a stream in
 * order. (nats.js' newer `consumers.get()` ordered pull consumer hangs on nats-server 2.9.10.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, consumerOpts, StorageType, type NatsConnection } from 'nats';
import { startProcess, which, type StartedProcess } from '../child-process';
import { freePort } from '../../../test/support/free-port';
import type { Peer, PeerProducer, PeerSubscription } from './peer';

export class NatsPeer implements Peer {
  readonly name = 'NATS JetStream';
  readonly durability = 'PubAck after the write to the file store; fsync every 2 min by default (nats-server 2.9 sync_interval)';
  private readonly connections = new Set<NatsConnection>();

  private constructor(
    private readonly server: StartedProcess,
    private readonly url: string,
    private readonly storeDir: string,
    private readonly admin: NatsConnection,
  ) {}

  static available(): string | null {
    return which('nats-server') ? null : 'nats-server is not installed (apt-get install -y nats-server)';
  }

  static async start(): Promise<NatsPeer> {
    const storeDir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-nats-'));
    const port = await freePort();
    const { process: server } = await startProcess({
      command: 'nats-server',
      args: ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
      ready: /Server is ready/,
      readyTimeoutMs: 30_000,
    });
    const url = `127.0.0.1:${port}`;
    const admin = await connect({ servers: url });
    return new NatsPeer(server, url, storeDir, admin);
  }

  get pid(): number {
    return this.server.pid;
  }

  async createTopic(topic: string): Promise<void> {
    const jsm = await this.admin.jetstreamManager();
    await jsm.streams.add({ name: topic, subjects: [topic], storage: StorageType.File });
  }

  private async connection(): Promise<NatsConnection> {
    const nc = await connect({ servers: this.url, maxPingOut: 10 });
    this.connections.add(nc);
    return nc;
  }

  async producer(): Promise<PeerProducer> {
    const nc = await this.connection();
    const js = nc.jetstream();
    const encoder = new TextEncoder();
    return {
      async send(topic, values) {
        await Promise.all(values.map((value) => js.publish(topic, encoder.encode(value))));
      },
      close: async () => {
        this.connections.delete(nc);
        await nc.close();
      },
    };
  }

  async subscribe(topic: string, from: 'earliest' | 'latest', onValues: (values: string[]) => void): Promise<PeerSubscription> {
    const nc = await this.connection();
    const options = consumerOpts();
    options.orderedConsumer();
    if (from === 'earliest') options.deliverAll();
    else options.deliverNew();
    const subscription = await nc.jetstream().subscribe(topic, options);
    const pump = (async () => {
      for await (const message of subscription) onValues([message.string()]);
    })();
    return {
      close: async () => {
        subscription.unsubscribe();
        await pump.catch(() => {});
        this.connections.delete(nc);
        await nc.close();
      },
    };
  }

  async close(): Promise<void> {
    for (const nc of this.connections) await nc.close().catch(() => {});
    await this.admin.close();
    await this.server.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
