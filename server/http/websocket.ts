/**
 * graphql-ws on the node's HTTP port at /graphql (subprotocol graphql-transport-ws only; a client
 * offering anything else is closed with 4406 by graphql-ws). graphql-ws runs outside Apollo, so
 * every control is applied here a second time: the Origin check at the upgrade, frame size
 * (`maxPayload`), parse token limit, depth and alias rules, a cap on subscriptions per connection,
 * and the same error formatter on every `next` and `error`. A socket whose unsent bytes stop
 * draining for `socketStuckMs` is a stuck consumer and is terminated by one shared watchdog timer;
 * since graphql-ws awaits each send, a stuck socket holds at most one message, never a growing queue.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Broker } from '../broker/index';
import type { Config } from '../config';
import type { Security } from '../security/security';
import { SocketAuthentication } from './socket-auth';
import { buildContext } from './context';
import { documentTooLarge } from './document-checks';
import { receiptConfirmer } from './socket-receipts';
import type { GraphQLExecution } from './graphql-execution';
import type { NodeMetrics } from './metrics';
import { throttledError, type RequestRateLimiter, type TokenBucket } from './request-rate';
import { requestError, withRequestCode } from '../../schema/errors/request-error';

/** How long a shutdown waits for peers to answer the close frame (at most the stuck timeout). */
const SHUTDOWN_CLOSE_GRACE_MS = 5_000;

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface WebSocketOptions {
  execution: GraphQLExecution;
  broker: Broker;
  config: Config;
  formatError: FormatError;
  metrics: NodeMetrics;
  /** Authentication of connection_init (server/security/README.md); null or not required: ANONYMOUS. */
  security?: Security | null;
  /** --max-requests-per-second: each connection's `subscribe` messages draw from a bucket of its own (server/http/request-rate.ts). */
  requestRate?: RequestRateLimiter | null;
}

export interface GraphQLWebSocket {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createGraphQLWebSocket(options: WebSocketOptions): GraphQLWebSocket {
  const { config, execution, broker, formatError, metrics } = options;
  const auth = new SocketAuthentication(options.security ?? null);
  const { schema } = execution;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.wsPayloadBytesMax });
  const formatResult = (result: ExecutionResult) =>
    result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : result;

  const connections = new Set<{ subscriptions: Record<string, unknown> }>();
  const buckets = new WeakMap<object, TokenBucket>();
  const requestRate = options.requestRate ?? null;
  metrics.countSubscriptions = () => {
    let count = 0;
    for (const ctx of connections) count += Object.keys(ctx.subscriptions).length;
    return count;
  };

  const disposable = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        // false: graphql-ws closes the socket with 4403 Forbidden (a bad or missing credential).
        if (!(await auth.accept(ctx, ctx.extra.socket, ctx.connectionParams, ctx.extra.request.socket.remoteAddress))) return false;
        connections.add(ctx);
        return true;
      },
      onClose: (ctx) => {
        connections.delete(ctx);
        auth.forget(ctx);
      },
      context: (ctx) =>
        buildContext(
          broker,
          'subscription',
          receiptConfirmer(ctx.extra.socket),
          ctx.extra.request.socket.remoteAddress,
          auth.identityOf(ctx),
        ),
      onSubscribe: (ctx, _id, payload) => {
        if (requestRate?.enabled) {
          let bucket = buckets.get(ctx);
          if (!bucket) {
            bucket = requestRate.connectionBucket()!;
            buckets.set(ctx, bucket);
          }
          const retryAfterMs = bucket.take(requestRate.now());
          if (retryAfterMs > 0) return [throttledError(retryAfterMs, config.maxRequestsPerSecond)];
        }
        const live = Object.keys(ctx.subscriptions).length;
        if (live > config.limits.subscriptionsPerConnectionMax) {
          return [
            requestError('LIMIT_EXCEEDED', `at most ${config.limits.subscriptionsPerConnectionMax} subscriptions per connection`, {
              max: config.limits.subscriptionsPerConnectionMax,
            }),
          ];
        }
        const tooLarge = documentTooLarge(payload.query, config.limits.queryBytesMax);
        if (tooLarge) return [tooLarge];
        let prepared;
        try {
          prepared = execution.prepare(payload.query, payload.operationName);
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? withRequestCode(error, 'GRAPHQL_PARSE_FAILED')
              : requestError('GRAPHQL_PARSE_FAILED', 'could not parse the document'),
          ];
        }
        if (Array.isArray(prepared)) return prepared.map((e) => withRequestCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        const { document } = prepared as Exclude<typeof prepared, readonly GraphQLError[]>;
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      // The node's one executor (server/http/graphql-execution.ts), as over HTTP.
      execute: (args: ExecutionArgs) => execution.execute(args),
      subscribe: (args: ExecutionArgs) => execution.subscribe(args),
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
    12_000, // keep-alive ping every 12 s; a peer that misses a pong is terminated
  );

  const watchdog = startStuckSocketWatchdog(wss, config.limits.socketStuckMs, metrics);

  return {
    handleUpgrade(request, socket, head) {
      if (!originAllowed(request, config.allowedOrigins)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    async close() {
      clearInterval(watchdog);
      auth.close();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      // A peer that stopped reading never takes the close frame, and ws would wait 30 s for its
      // answer: past a short grace such sockets are dropped, so a stuck consumer cannot hold up
      // a SIGTERM (and outlast a supervisor's kill grace, costing the clean-shutdown marker).
      const dropStragglers = setTimeout(
        () => {
          for (const client of wss.clients) client.terminate();
        },
        Math.min(config.limits.socketStuckMs, SHUTDOWN_CLOSE_GRACE_MS),
      );
      try {
        await disposable.dispose();
      } finally {
        clearTimeout(dropStragglers);
      }
    },
  };
}

/**
 * Browsers send Origin on WebSocket upgrades and apply no CORS to them, so a page on another site
 * could ride a user's session (CSWSH). Same-host origins and the configured list are allowed; a
 * request without Origin is not from a browser and is allowed.
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin) || allowedOrigins.includes('*')) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function startStuckSocketWatchdog(wss: WebSocketServer, socketStuckMs: number, metrics: NodeMetrics): NodeJS.Timeout {
  const checkEveryMs = Math.max(100, Math.min(1_000, socketStuckMs / 4));
  const progress = new WeakMap<WebSocket, { bytesWritten: number; sinceMs: number }>();
  const timer = setInterval(() => {
    const nowMs = performance.now();
    metrics.openConnections.set(wss.clients.size);
    for (const ws of wss.clients) {
      const raw = (ws as unknown as { _socket?: { bytesWritten: number } })._socket;
      if (ws.bufferedAmount === 0 || !raw) {
        progress.delete(ws);
        continue;
      }
      const seen = progress.get(ws);
      if (!seen || seen.bytesWritten !== raw.bytesWritten) {
        progress.set(ws, { bytesWritten: raw.bytesWritten, sinceMs: nowMs });
      } else if (nowMs - seen.sinceMs > socketStuckMs) {
        ws.terminate();
      }
    }
  }, checkEveryMs);
  timer.unref();
  return timer;
}
