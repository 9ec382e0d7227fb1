/**
 * The cluster port's listener (docs/CLUSTER-PROTOCOL.md "Connection"): followers connect and
 * send FETCH and OFFSETS_FOR_LEADER_EPOCH; each request is answered as soon as it is ready, with
 * its request id, so a long-polling fetch never holds back another request (pipelining). A frame
 * that cannot be decoded is logged with its reason and closes that connection; nothing thrown
 * while serving one leaves this file, so the node keeps serving.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Logger } from 'pino';
import { clusterServerOptions, type ClusterTls } from './cluster-tls';
import { decodeRequest, encodeResponse } from './protocol/codec';
import { FrameSplitter } from './protocol/frame-splitter';
import type { PeerHandlers } from '../peer/peer-handlers';
import { API_FETCH, MalformedFrameError, type ReplicationRequest, type ReplicationResponse } from './protocol/messages';

/** `connectionClosed` aborts when the requester's connection goes (a parked fetch stops waiting). */
export type ReplicationRequestHandler = (
  request: ReplicationRequest,
  connectionClosed: AbortSignal,
) => Promise<ReplicationResponse> | ReplicationResponse;

export interface ReplicationServer {
  readonly port: number;
  close(): Promise<void>;
}

function serveConnection(socket: net.Socket, handle: ReplicationRequestHandler, logger: Logger, peers: PeerHandlers | null): void {
  const splitter = new FrameSplitter();
  const closing = new AbortController();
  const closed = closing.signal;
  socket.setNoDelay(true);
  socket.on('close', () => closing.abort());
  socket.on('error', (error) => logger.debug({ err: error, remote: socket.remoteAddress }, 'cluster port: connection error'));
  socket.on('data', (chunk: Buffer) => {
    let bodies: Buffer[];
    try {
      bodies = splitter.push(chunk);
    } catch (error) {
      refuse(socket, error, logger);
      return;
    }
    for (const body of bodies) {
      if (peers?.accepts(body)) {
        if (!servePeerCall(socket, peers, body, closed, logger)) return;
        continue;
      }
      let frame;
      try {
        frame = decodeRequest(body);
      } catch (error) {
        refuse(socket, error, logger);
        return;
      }
      const { requestId, message } = frame;
      void Promise.resolve()
        .then(() => handle(message, closed))
        .then((response) => {
          if (socket.destroyed) return;
          socket.cork();
          for (const part of encodeResponse(requestId, response)) socket.write(part);
          socket.uncork();
        })
        .catch((error: unknown) => {
          logger.error(
            { err: error, apiKey: message.apiKey === API_FETCH ? 'FETCH' : 'OFFSETS_FOR_LEADER_EPOCH' },
            'cluster port: request failed; closing the connection',
          );
          socket.destroy();
        });
    }
  });
}

/** A forwarded call (docs/CLUSTER-PROTOCOL.md "Forwarded calls"); false when its frame was malformed (the socket is closed). */
function servePeerCall(socket: net.Socket, peers: PeerHandlers, body: Buffer, closed: AbortSignal, logger: Logger): boolean {
  let served;
  try {
    served = peers.serve(body, closed);
  } catch (error) {
    refuse(socket, error, logger);
    return false;
  }
  served.answer
    .then((parts) => {
      if (socket.destroyed) return;
      socket.cork();
      for (const part of parts) socket.write(part);
      socket.uncork();
    })
    .catch((error: unknown) => {
      logger.error({ err: error, apiKey: served.apiName }, 'cluster port: forwarded call failed; closing the connection');
      socket.destroy();
    });
  return true;
}

function refuse(socket: net.Socket, error: unknown, logger: Logger): void {
  if (!(error instanceof MalformedFrameError)) throw error;
  logger.warn(
    { remote: `${socket.remoteAddress}:${socket.remotePort}`, reason: error.message },
    'cluster port: malformed frame; closing the connection',
  );
  socket.destroy();
}

export interface ListenOptions {
  host: string;
  port: number;
  handle: ReplicationRequestHandler;
  logger: Logger;
  /** Mutual TLS (cluster-tls.ts): only peers with a certificate of the cluster CA get past the handshake. */
  tls?: ClusterTls | null;
  /** Forwarded calls answered on this port (peer-handlers.ts); frames of other apiKeys are replication's. */
  peers?: PeerHandlers | null;
}

/** Listens on `host:port` (0 picks a free one). */
export function listenForReplication(options: ListenOptions): Promise<ReplicationServer> {
  const sockets = new Set<net.Socket>();
  const onSocket = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, options.handle, options.logger, options.peers ?? null);
  };
  const server = options.tls ? tls.createServer(clusterServerOptions(options.tls), onSocket) : net.createServer(onSocket);
  if (options.tls) {
    // A peer without a certificate of the cluster CA (or not speaking TLS): refused in the handshake, before any frame.
    server.on('tlsClientError', (error, socket) => {
      options.logger.warn(
        { err: error, remote: `${socket.remoteAddress}:${socket.remotePort}` },
        'cluster port: refused a peer without a valid cluster certificate',
      );
    });
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
