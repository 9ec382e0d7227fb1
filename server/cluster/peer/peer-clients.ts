/**
 * The forwarding side of peer calls (docs/CLUSTER-PROTOCOL.md "Forwarded calls"): one pipelined
 * connection per remote node, opened on first use at the endpoint the NodeDirectory gives, and
 * opened again (endpoint looked up again) on the next call after it failed. `call` resolves with
 * the response or rejects with the receiver's coded error (ForwardedCallError, same code); a lost
 * connection or an unknown node rejects with a retriable NODE_NOT_AVAILABLE.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { CodedError } from '../../errors';
import type { RequestIdentity } from '../../security/principal';
import type { NodeDirectory } from '../cluster-view';
import { clusterClientOptions, type ClusterTls } from '../replication/cluster-tls';
import { FrameSplitter } from '../replication/protocol/frame-splitter';
import type { PeerApi } from './peer-api';
import { decodePeerResponse, encodePeerRequest, peekHeader } from './peer-envelope';

export class NodeNotAvailableError extends CodedError {
  readonly code = 'NODE_NOT_AVAILABLE';
  override readonly retriable = true;
  constructor(nodeId: number, reason: string) {
    super(`node ${nodeId} cannot be reached: ${reason}`, { nodeId });
  }
}

interface InFlight {
  api: PeerApi<unknown, unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class PeerConnection {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly splitter = new FrameSplitter();
  private nextRequestId = 1;
  failed = false;

  constructor(
    private readonly nodeId: number,
    private readonly socket: net.Socket,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error.message));
    socket.on('close', () => this.fail('the connection closed'));
  }

  call<Req, Res>(api: PeerApi<Req, Res>, caller: RequestIdentity | null, request: Req): Promise<Res> {
    if (this.failed) return Promise.reject(new NodeNotAvailableError(this.nodeId, 'the connection failed'));
    const requestId = this.nextRequestId;
    this.nextRequestId = this.nextRequestId >= 0x7fffffff ? 1 : this.nextRequestId + 1;
    const parts = encodePeerRequest(api, requestId, caller, request);
    return new Promise<Res>((resolve, reject) => {
      this.inFlight.set(requestId, { api: api as PeerApi<unknown, unknown>, resolve: resolve as (v: unknown) => void, reject });
      this.socket.cork();
      for (const part of parts) this.socket.write(part);
      this.socket.uncork();
    });
  }

  close(): void {
    this.fail('closed by this node');
  }

  private receive(chunk: Buffer): void {
    try {
      for (const body of this.splitter.push(chunk)) {
        const waiting = this.inFlight.get(peekHeader(body).requestId);
        if (!waiting) throw new Error('a response answers no request in flight');
        const { requestId, outcome } = decodePeerResponse(waiting.api, body);
        this.inFlight.delete(requestId);
        if (outcome.ok) waiting.resolve(outcome.response);
        else waiting.reject(outcome.error);
      }
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.socket.destroy();
    for (const waiting of this.inFlight.values()) waiting.reject(new NodeNotAvailableError(this.nodeId, reason));
    this.inFlight.clear();
  }
}

export class PeerClients {
  private readonly connections = new Map<number, Promise<PeerConnection>>();
  private closed = false;

  constructor(
    private readonly directory: NodeDirectory,
    private readonly tlsMaterial: ClusterTls | null = null,
  ) {}

  async call<Req, Res>(nodeId: number, api: PeerApi<Req, Res>, caller: RequestIdentity | null, request: Req): Promise<Res> {
    const connection = await this.connectionTo(nodeId);
    return connection.call(api, caller, request);
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.connections.values()];
    this.connections.clear();
    for (const pending of open) await pending.then((c) => c.close()).catch(() => undefined);
  }

  private connectionTo(nodeId: number): Promise<PeerConnection> {
    if (this.closed) return Promise.reject(new NodeNotAvailableError(nodeId, 'this node is shutting down'));
    const existing = this.connections.get(nodeId);
    if (existing) {
      // A failed connection is replaced on this call; a pending or open one is shared (pipelining).
      const reuse = existing.then((c) => (c.failed ? null : c)).catch(() => null);
      return reuse.then((c) => c ?? this.open(nodeId));
    }
    return this.open(nodeId);
  }

  private open(nodeId: number): Promise<PeerConnection> {
    const endpoint = this.directory.endpointOf(nodeId);
    if (!endpoint) return Promise.reject(new NodeNotAvailableError(nodeId, 'it is not a live member'));
    const opening = new Promise<PeerConnection>((resolve, reject) => {
      const { host, clusterPort } = endpoint;
      const socket = this.tlsMaterial
        ? tls.connect(clusterClientOptions(this.tlsMaterial, host, clusterPort))
        : net.connect({ host, port: clusterPort });
      const onError = (error: Error) => reject(new NodeNotAvailableError(nodeId, error.message));
      socket.once('error', onError);
      socket.once(this.tlsMaterial ? 'secureConnect' : 'connect', () => {
        socket.off('error', onError);
        resolve(new PeerConnection(nodeId, socket));
      });
    });
    this.connections.set(nodeId, opening);
    opening.catch(() => {
      if (this.connections.get(nodeId) === opening) this.connections.delete(nodeId);
    });
    return opening;
  }
}
