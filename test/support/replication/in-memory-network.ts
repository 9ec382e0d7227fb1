/**
 * An in-memory twin of the cluster port's network (server/cluster/replication/network.ts) for
 * seeded simulation tests: "ports" are numbers in a map, a request reaches the leader's real
 * handler after a seeded random delay, and a request or its answer is dropped with a seeded
 * probability — a drop fails the channel, as a broken TCP connection does, and the fetcher
 * reconnects. `faults` may be changed while it runs (heal by setting dropRate to 0).
 */
import type { ReplicationChannel, ReplicationNetwork } from '../../../server/cluster/replication/network';
import type { ReplicationRequestHandler, ReplicationServer } from '../../../server/cluster/replication/replication-server';
import type {
  FetchRequest,
  FetchResponse,
  OffsetsForLeaderEpochRequest,
  OffsetsForLeaderEpochResponse,
  ReplicationRequest,
  ReplicationResponse,
} from '../../../server/cluster/replication/protocol/messages';

export interface NetworkFaults {
  dropRate: number;
  maxDelayMs: number;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class InMemoryNetwork implements ReplicationNetwork {
  private readonly handlers = new Map<number, ReplicationRequestHandler>();
  private readonly channels = new Map<number, Set<TwinChannel>>();
  private nextPort = 40_000;
  dropped = 0;
  connections = 0;
  /** Every request sent, in order: its api key and how many partitions it carried. */
  readonly requests: { apiKey: number; partitions: number }[] = [];

  constructor(
    private readonly random: () => number,
    readonly faults: NetworkFaults,
  ) {}

  async listen(options: { handle: ReplicationRequestHandler }): Promise<ReplicationServer> {
    const port = this.nextPort++;
    this.handlers.set(port, options.handle);
    this.channels.set(port, new Set());
    return {
      port,
      close: async () => {
        this.handlers.delete(port);
        for (const channel of this.channels.get(port) ?? []) channel.close();
        this.channels.delete(port);
      },
    };
  }

  async connect(_host: string, port: number): Promise<ReplicationChannel> {
    await delay(this.jitter());
    if (!this.handlers.has(port)) throw new Error(`connection refused: port ${port}`);
    this.connections++;
    const channel = new TwinChannel(this, port);
    this.channels.get(port)!.add(channel);
    return channel;
  }

  /** One leg of a request: delayed, maybe dropped (then the channel fails). */
  async leg(channel: TwinChannel): Promise<void> {
    await delay(this.jitter());
    if (!channel.isOpen) throw new Error('channel closed');
    if (this.random() < this.faults.dropRate) {
      this.dropped++;
      channel.close();
      throw new Error('dropped by the network twin');
    }
  }

  handlerAt(port: number): ReplicationRequestHandler | undefined {
    return this.handlers.get(port);
  }

  private jitter(): number {
    return Math.floor(this.random() * this.faults.maxDelayMs);
  }
}

class TwinChannel implements ReplicationChannel {
  private open = true;
  private readonly closing = new AbortController();

  constructor(
    private readonly network: InMemoryNetwork,
    private readonly port: number,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  fetch(request: FetchRequest): Promise<FetchResponse> {
    return this.call(request) as Promise<FetchResponse>;
  }

  offsetsForLeaderEpoch(request: OffsetsForLeaderEpochRequest): Promise<OffsetsForLeaderEpochResponse> {
    return this.call(request) as Promise<OffsetsForLeaderEpochResponse>;
  }

  close(): void {
    this.open = false;
    this.closing.abort();
  }

  private async call(request: ReplicationRequest): Promise<ReplicationResponse> {
    this.network.requests.push({ apiKey: request.apiKey, partitions: request.partitions.length });
    await this.network.leg(this);
    const handle = this.network.handlerAt(this.port);
    if (!handle) {
      this.close();
      throw new Error('the leader is gone');
    }
    const response = await handle(request, this.closing.signal);
    await this.network.leg(this);
    return response;
  }
}
