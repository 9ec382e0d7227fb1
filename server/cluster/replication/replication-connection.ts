/**
 * A follower's connection to one leader's cluster port (docs/CLUSTER-PROTOCOL.md "Connection"):
 * `request` sends a frame with a fresh request id and resolves with the response carrying that
 * id, so requests pipeline. A malformed response, a response to no request, or the socket closing
 * fails every request in flight and the connection is done; the fetcher opens a new one.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { clusterClientOptions, type ClusterTls } from './cluster-tls';
import { decodeResponse, encodeRequest } from './protocol/codec';
import { FrameSplitter } from './protocol/frame-splitter';
import {
  MalformedFrameError,
  type FetchRequest,
  type FetchResponse,
  type OffsetsForLeaderEpochRequest,
  type OffsetsForLeaderEpochResponse,
  type ReplicationResponse,
} from './protocol/messages';

interface InFlight {
  apiKey: number;
  resolve(response: ReplicationResponse): void;
  reject(error: Error): void;
}

export class ReplicationConnection {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly splitter = new FrameSplitter();
  private nextRequestId = 1;
  private failure: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the leader closed the connection')));
  }

  /** Connects (over mutual TLS with `tls`), or rejects with the socket's error (refused, unreachable, handshake refused). */
  static open(host: string, port: number, material: ClusterTls | null = null): Promise<ReplicationConnection> {
    return new Promise((resolve, reject) => {
      const socket = material ? tls.connect(clusterClientOptions(material, host, port)) : net.connect({ host, port });
      const onError = (error: Error) => reject(error);
      socket.once('error', onError);
      socket.once(material ? 'secureConnect' : 'connect', () => {
        socket.off('error', onError);
        resolve(new ReplicationConnection(socket));
      });
    });
  }

  get isOpen(): boolean {
    return this.failure === null;
  }

  fetch(request: FetchRequest): Promise<FetchResponse> {
    return this.send(request) as Promise<FetchResponse>;
  }

  offsetsForLeaderEpoch(request: OffsetsForLeaderEpochRequest): Promise<OffsetsForLeaderEpochResponse> {
    return this.send(request) as Promise<OffsetsForLeaderEpochResponse>;
  }

  close(): void {
    this.fail(new Error('connection closed by the follower'));
  }

  private send(request: FetchRequest | OffsetsForLeaderEpochRequest): Promise<ReplicationResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const requestId = this.nextRequestId;
    this.nextRequestId = this.nextRequestId >= 0x7fffffff ? 1 : this.nextRequestId + 1;
    return new Promise((resolve, reject) => {
      this.inFlight.set(requestId, { apiKey: request.apiKey, resolve, reject });
      this.socket.cork();
      for (const part of encodeRequest(requestId, request)) this.socket.write(part);
      this.socket.uncork();
    });
  }

  private receive(chunk: Buffer): void {
    try {
      for (const body of this.splitter.push(chunk)) {
        const { requestId, message } = decodeResponse(body);
        const waiting = this.inFlight.get(requestId);
        if (!waiting || waiting.apiKey !== message.apiKey)
          throw new MalformedFrameError(`response ${requestId} answers no request in flight`);
        this.inFlight.delete(requestId);
        waiting.resolve(message);
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    for (const waiting of this.inFlight.values()) waiting.reject(error);
    this.inFlight.clear();
  }
}
