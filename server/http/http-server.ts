/**
 * The node's one HTTP port: GraphQL at /graphql (Apollo for POST/GET, graphql-ws for upgrades),
 * /healthz, /metrics (Prometheus) and the web console at /console. node:http, or node:https when
 * the node has a certificate (HTTPS and WSS only; plain HTTP to it fails the handshake and is
 * closed unanswered): bodies are read with a hard byte limit and parsed into
 * null-prototype-safe JSON before Apollo sees them.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../schema/context.type';
import { isClientGone } from '../../schema/errors/client-gone';
import type { Broker } from '../broker/index';
import type { Config } from '../config';
import type { Security } from '../security/security';
import type { TlsMaterial } from './tls-material';
import { throttledError, type RequestRateLimiter } from './request-rate';
import { authenticateRequest, metricsAllowed } from './request-auth';
import { serveConsole } from './console';
import { buildContext, clientHost } from './context';
import { blockedAsCsrf, CSRF_MESSAGE } from './csrf';
import { documentTooLarge, persistedQueryHashMismatch } from './document-checks';
import type { NodeMetrics } from './metrics';
import { BodyTooLargeError, declaredLength, readBody, refuseTooLarge } from './request-body';
import type { GraphQLWebSocket } from './websocket';
import { requestError } from '../../schema/errors/request-error';

export interface HttpServerOptions {
  config: Config;
  broker: Broker;
  apollo: ApolloServer<GraphQLContext>;
  webSocket: GraphQLWebSocket;
  metrics: NodeMetrics;
  consoleDir: string;
  /** Authentication (server/security/README.md); null or not required: everyone is ANONYMOUS. */
  security?: Security | null;
  onError(error: unknown): void;
  /** A client that reset or closed its socket mid-response (logged quietly, not as an error). */
  onClientGone?(error: unknown): void;
  /** The certificate and key (server/http/tls-material.ts): HTTPS and WSS only. */
  tls?: TlsMaterial | null;
  /** --max-requests-per-second, per client address (server/http/request-rate.ts); absent: no limit. */
  requestRate?: RequestRateLimiter | null;
}

/** The node's port: HTTP, or HTTPS when it has a certificate (an https.Server is a tls.Server: setSecureContext reloads it). */
export type WebServer = http.Server | https.Server;

/** The responses each server is writing, so a shutdown can take their connections out of keep-alive. */
const openResponses = new WeakMap<WebServer, Set<ServerResponse>>();

/** TLS 1.2 is the oldest version offered (docs/RELIABILITY.md §4 "TLS and cluster"). */
export const TLS_MIN_VERSION = 'TLSv1.2';
/** HSTS on HTTPS answers: a browser that reached the node over HTTPS never tries plain HTTP for a year. */
const HSTS = 'max-age=31536000';

export function createHttpServer(options: HttpServerOptions): WebServer {
  const responses = new Set<ServerResponse>();
  const tlsOn = Boolean(options.tls);
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // Not listening: the node is shutting down (closeHttpServer), and this request came on a
    // connection that was already open. It is answered, and the connection closed after it.
    if (!server.listening) res.shouldKeepAlive = false;
    if (tlsOn) res.setHeader('strict-transport-security', HSTS);
    responses.add(res);
    res.once('close', () => responses.delete(res));
    handle(options, req, res).catch((error: unknown) => {
      if (isClientGone(error)) options.onClientGone?.(error);
      else options.onError(error);
      if (!res.headersSent) sendText(res, 500, 'internal server error');
      else res.destroy();
    });
  };
  const server: WebServer = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: TLS_MIN_VERSION }, onRequest)
    : http.createServer(onRequest);
  // `Expect: 100-continue` with a Content-Length over the limit: refuse before the body is sent.
  server.on('checkContinue', (req, res) => {
    if (pathOf(req) === '/graphql' && declaredLength(req) > options.config.limits.httpBodyBytesMax) {
      res.shouldKeepAlive = false;
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(errorBody(payloadTooLarge(options))));
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (pathOf(req) !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    options.webSocket.handleUpgrade(req, socket, head);
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  openResponses.set(server, responses);
  return server;
}

/**
 * Stops taking connections and resolves once every open one has ended, letting the requests in
 * flight finish. server.close() alone is not enough: it drops only the connections idle at that
 * instant, and Node goes on serving keep-alive connections after it, so a connection that was
 * busy then (the console re-reads a topic's rates every 2 s) would be kept alive by its client's
 * next request, again and again, and the shutdown would never end. So each response from here on
 * is the last of its connection (`Connection: close`); one whose headers are already out ends its
 * connection once it is sent.
 */
export function closeHttpServer(server: WebServer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const res of openResponses.get(server) ?? []) {
    if (!res.headersSent) {
      res.shouldKeepAlive = false;
      continue;
    }
    const socket = res.socket;
    if (res.writableFinished) socket?.end();
    else res.once('finish', () => socket?.end());
  }
  server.closeIdleConnections();
  return closed;
}

export function listen(server: WebServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

async function handle(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req);
  if (path === '/graphql') return handleGraphQL(options, req, res);
  if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (path === '/metrics') {
    if (!metricsAllowed(req, options.config.metricsToken))
      return sendText(res, 401, 'metrics need Authorization: Bearer <--metrics-token>');
    const body = await options.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
    res.end(body);
    return;
  }
  if (path === '/') {
    res.writeHead(302, { location: '/console/' });
    res.end();
    return;
  }
  if (path === '/console' || path.startsWith('/console/')) return serveConsole(options.consoleDir, path, res);
  sendText(res, 404, 'not found');
}

async function handleGraphQL(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Before authentication and before the body is read: a flooding address costs the node one map lookup.
  const retryAfterMs = options.requestRate?.take(clientHost(req.socket.remoteAddress) ?? '') ?? 0;
  if (retryAfterMs > 0) {
    const error = throttledError(retryAfterMs, options.config.maxRequestsPerSecond);
    res.setHeader('retry-after', String(Math.ceil(retryAfterMs / 1_000)));
    return sendJson(res, 429, { errors: [{ message: error.message, extensions: error.extensions }] });
  }
  // Before the body is read: an unauthenticated client gets nothing of the node, not even parsing.
  const authenticated = await authenticateRequest(
    options.security ?? null,
    req.headers.authorization,
    clientHost(req.socket.remoteAddress),
  );
  if (!authenticated.ok) {
    res.setHeader('www-authenticate', 'Bearer'); // RFC 6750: how to authenticate
    return sendError(res, authenticated.status, authenticated.error);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown;
  let query: unknown;
  let extensions: unknown;
  if (method === 'POST') {
    let raw: string;
    try {
      raw = await readBody(req, options.config.limits.httpBodyBytesMax);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuseTooLarge(req, res, JSON.stringify(errorBody(payloadTooLarge(options))));
      throw error;
    }
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        body = parseJsonBody(raw);
      } catch {
        return sendError(res, 400, requestError('BAD_REQUEST', 'request body is not valid JSON'));
      }
      if (body !== null && typeof body === 'object' && !Array.isArray(body))
        ({ query, extensions } = body as { query?: unknown; extensions?: unknown });
    } else {
      body = raw;
    }
  } else {
    query = url.searchParams.get('query') ?? undefined;
    extensions = parseJsonOrUndefined(url.searchParams.get('extensions'));
  }
  if (blockedAsCsrf(req, method)) return sendError(res, 400, requestError('BAD_REQUEST', CSRF_MESSAGE));
  const refusal = documentTooLarge(query, options.config.limits.queryBytesMax) ?? persistedQueryHashMismatch(query, extensions);
  if (refusal) return sendError(res, 400, refusal);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search: url.search, body },
    context: async () => buildContext(options.broker, 'request', undefined, req.socket.remoteAddress, authenticated.identity ?? undefined),
  });
  res.statusCode = result.status ?? 200;
  for (const [key, value] of result.headers) res.setHeader(key, value);
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * JSON.parse refusing `__proto__` keys. A reviver makes JSON.parse call back for every value
 * (73 → 9 µs for a 5-record produce body, 1.85 → 0.45 ms for 1,000 records), so it runs only when
 * the text could hold such a key: the 9 letters in a row, or any \u escape that could spell them.
 */
function parseJsonBody(raw: string): unknown {
  return raw.includes('__proto__') || raw.includes('\\u') ? JSON.parse(raw, rejectProtoKeys) : JSON.parse(raw);
}

function rejectProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('__proto__ keys are not accepted');
  return value;
}

function parseJsonOrUndefined(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text, rejectProtoKeys);
  } catch {
    return undefined; // Apollo answers the malformed parameter itself
  }
}

function payloadTooLarge(options: HttpServerOptions): GraphQLError {
  const bytesMax = options.config.limits.httpBodyBytesMax;
  return requestError('PAYLOAD_TOO_LARGE', `request body too large (at most ${bytesMax} bytes)`, { httpBodyBytesMax: bytesMax });
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** A request refused before GraphQL runs, in the shape of every other error (extensions.code). */
function errorBody(error: GraphQLError): { errors: unknown[] } {
  return { errors: [{ message: error.message, extensions: { ...error.extensions, retriable: false } }] };
}

function sendError(res: ServerResponse, status: number, error: GraphQLError): void {
  sendJson(res, status, errorBody(error));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
