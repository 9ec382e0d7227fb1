/**
 * A userspace TCP proxy for fault tests (docs/RELIABILITY.md §3.1: no netem on these machines, so
 * delays and partitions are made here). It listens on a loopback port and forwards every
 * connection to one target; a fault decides what happens to the bytes, in both directions:
 *
 * - `pass`: forwarded as they come (in order, after any bytes a delay still holds);
 * - `{ delayMs }`: each chunk forwarded `delayMs` after it arrived (order kept);
 * - `drop`: a blackhole: connections stay open, bytes are read and discarded, nothing comes back
 *   (a partition: packets vanish). A connection that lost bytes is reset when its fault leaves
 *   `drop` (its stream has a hole, as a TCP connection that timed out during the partition);
 * - `cut`: every connection is reset at once and new ones are reset on accept.
 *
 * A fault applies to every connection, or to the connections of one peer only: with `identify`
 * the proxy reads the first bytes a client sends (before connecting upstream) and names the peer
 * from them, e.g. the `replicaId` of the cluster protocol's first request (docs/CLUSTER-PROTOCOL.md
 * "Frames"), so one proxy in front of a node's cluster port can slow or cut a single follower's
 * link. A peer's own fault wins over the proxy-wide one.
 *
 * Test support, single-threaded (the event loop); no back-pressure (test traffic is small).
 */
import net from 'node:net';

export type LinkFault = 'pass' | 'drop' | 'cut' | { delayMs: number };

export interface FaultProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** Names a connection's peer from the first `bytes` bytes its client sends. */
  identify?: { bytes: number; peer(head: Buffer): string };
}

/** Reads the `replicaId` of a cluster-protocol request: length:int32 apiKey:int16 apiVersion:int16 requestId:int32 replicaId:int32 (docs/CLUSTER-PROTOCOL.md). */
export const identifyClusterPeer = { bytes: 16, peer: (head: Buffer) => String(head.readInt32BE(12)) };

/** One direction of a connection: chunks waiting for their time, written in order. */
class DelayedPipe {
  private readonly queue: { atMs: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly to: net.Socket) {}

  push(chunk: Buffer, delayMs: number): void {
    const atMs = Math.max(Date.now() + delayMs, this.queue.at(-1)?.atMs ?? 0);
    this.queue.push({ atMs, chunk });
    this.pump();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length > 0 && this.queue[0]!.atMs <= Date.now()) {
      const { chunk } = this.queue.shift()!;
      if (!this.to.destroyed) this.to.write(chunk);
    }
    const next = this.queue[0];
    if (next)
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, next.atMs - Date.now());
  }
}

interface ProxiedConnection {
  peer: string | null;
  client: net.Socket;
  upstream: net.Socket | null;
  lostBytes: boolean;
  toUpstream: DelayedPipe | null;
  toClient: DelayedPipe | null;
}

export class FaultProxy {
  private readonly connections = new Set<ProxiedConnection>();
  private readonly peerFaults = new Map<string, LinkFault>();
  private defaultFault: LinkFault = 'pass';
  /** Connections accepted so far, per peer ('' when unidentified): tests check a link was used. */
  readonly accepted = new Map<string, number>();

  private constructor(
    private readonly server: net.Server,
    private readonly options: FaultProxyOptions,
    readonly port: number,
  ) {}

  /** Listens on a free loopback port (or `port`). */
  static start(options: FaultProxyOptions, port = 0): Promise<FaultProxy> {
    let proxy: FaultProxy | null = null;
    const server = net.createServer((client) => proxy!.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        proxy = new FaultProxy(server, options, (server.address() as net.AddressInfo).port);
        resolve(proxy);
      });
    });
  }

  /** Sets the fault of one peer's connections, or (no peer) of every connection without a fault of its own. */
  set(fault: LinkFault, peer?: string): void {
    const before = new Map([...this.connections].map((c) => [c, this.faultOf(c.peer)] as const));
    if (peer === undefined) this.defaultFault = fault;
    else this.peerFaults.set(peer, fault);
    for (const [connection, was] of before) {
      const now = this.faultOf(connection.peer);
      if (now === 'cut' || (was === 'drop' && now !== 'drop' && connection.lostBytes)) this.reset(connection);
    }
  }

  /** Back to `pass` for every peer. */
  heal(): void {
    for (const peer of [...this.peerFaults.keys()]) this.set('pass', peer);
    this.set('pass');
  }

  /** The fault a peer's connections are under now. */
  faultOf(peer: string | null): LinkFault {
    return (peer !== null ? this.peerFaults.get(peer) : undefined) ?? this.defaultFault;
  }

  /** Open connections (per peer when given). */
  openConnections(peer?: string): number {
    return [...this.connections].filter((c) => peer === undefined || c.peer === peer).length;
  }

  async close(): Promise<void> {
    for (const connection of [...this.connections]) this.reset(connection);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const connection: ProxiedConnection = { peer: null, client, upstream: null, lostBytes: false, toUpstream: null, toClient: null };
    this.connections.add(connection);
    client.on('error', (error) => this.failed(connection, error));
    client.on('close', () => this.reset(connection));
    if (this.faultOf(null) === 'cut' && !this.options.identify) return this.reset(connection);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      if (connection.upstream) return this.forward(connection, chunk, connection.toUpstream!);
      head = Buffer.concat([head, chunk]);
      const identify = this.options.identify;
      if (identify && head.length < identify.bytes) return;
      connection.peer = identify ? identify.peer(head) : '';
      this.accepted.set(connection.peer, (this.accepted.get(connection.peer) ?? 0) + 1);
      if (this.faultOf(connection.peer) === 'cut') return this.reset(connection);
      this.connectUpstream(connection);
      this.forward(connection, head, connection.toUpstream!);
    };
    client.on('data', onData);
    if (!this.options.identify) {
      connection.peer = '';
      this.accepted.set('', (this.accepted.get('') ?? 0) + 1);
      this.connectUpstream(connection);
    }
  }

  private connectUpstream(connection: ProxiedConnection): void {
    const upstream = net.connect(this.options.targetPort, this.options.targetHost ?? '127.0.0.1');
    connection.upstream = upstream;
    connection.toUpstream = new DelayedPipe(upstream);
    connection.toClient = new DelayedPipe(connection.client);
    upstream.on('data', (chunk: Buffer) => this.forward(connection, chunk, connection.toClient!));
    upstream.on('error', (error) => this.failed(connection, error));
    upstream.on('close', () => this.reset(connection));
  }

  private forward(connection: ProxiedConnection, chunk: Buffer, pipe: DelayedPipe): void {
    const fault = this.faultOf(connection.peer);
    if (fault === 'drop') connection.lostBytes = true;
    else if (fault === 'cut') this.reset(connection);
    else pipe.push(chunk, fault === 'pass' ? 0 : fault.delayMs);
  }

  private failed(connection: ProxiedConnection, error: NodeJS.ErrnoException): void {
    if (error.syscall === 'reset')
      throw new Error(`fault proxy: Node refused to reset a socket (${error.code}); its handle would never close`);
    this.reset(connection);
  }

  private reset(connection: ProxiedConnection): void {
    if (!this.connections.delete(connection)) return;
    connection.toUpstream?.stop();
    connection.toClient?.stop();
    abort(connection.client);
    if (connection.upstream) abort(connection.upstream);
  }
}

/**
 * Ends a socket with an RST when it can take one, else with a plain destroy. Node 20 cannot reset a
 * socket whose shutdown is under way (end() called, by us or by allowHalfOpen=false on the peer's
 * FIN, with the shutdown waiting on a full send buffer): uv_tcp_close_reset refuses with EINVAL,
 * Node's TCPWrap is left marked closing but its handle is never closed, and at process exit Node's
 * CleanupHandles runs the loop until that handle closes, which never happens (a spinning exit).
 */
function abort(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting || socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}
