/**
 * A tiny graphql-ws client (protocol graphql-transport-ws) on the `ws` package: one socket per
 * client, subscriptions as async iterators. No automatic reconnect (retryAttempts 0): a consumer
 * that silently resubscribed would restart from its `--from` and print records twice.
 * Errors arrive as CliError: a GraphQL `error` message keeps the server's extensions.code; a socket
 * that cannot connect or closes abnormally is NODE_UNREACHABLE / SOCKET_CLOSED.
 */
import { createClient, type Client } from 'graphql-ws';
import tls from 'node:tls';
import WebSocket from 'ws';
import { CliError, GraphQLResponseError, NodeUnreachableError } from './cli-errors';
import type { Operation } from './generated/operations';

export interface GraphQLWsOptions {
  /** Give up on the connection_ack after this many ms (default 10 s). */
  connectionAckWaitMs?: number;
  /** Sent as the connection_init payload `{ authorization: "Bearer …" }`. */
  apiKey?: string | null;
  /** PEM CA certificates trusted beside the system's (--ca-file), for wss:// URLs. */
  ca?: Buffer | null;
}

export class GraphQLWsClient {
  private readonly client: Client;
  private connected = false;

  constructor(
    readonly url: string,
    options: GraphQLWsOptions = {},
  ) {
    this.client = createClient({
      url,
      webSocketImpl: options.ca ? trustingWebSocket(options.ca) : WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionAckWaitTimeout: options.connectionAckWaitMs ?? 10_000,
      connectionParams: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
      on: {
        connected: () => {
          this.connected = true;
        },
      },
    });
  }

  /**
   * Yields each `data` of the subscription (a document of generated/operations.ts); throws the
   * first GraphQL error as a CliError.
   */
  async *subscribe<T, V>(query: Operation<T, V>, variables: NoInfer<V>): AsyncGenerator<T, void, undefined> {
    const iterator = this.client.iterate<T>({ query, variables: variables as Record<string, unknown> });
    try {
      for (;;) {
        let step: IteratorResult<{ data?: T | null; errors?: readonly unknown[] }>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw this.toCliError(error);
        }
        if (step.done) return;
        const result = step.value;
        if (result.errors?.length) throw this.toCliError(result.errors);
        if (result.data != null) yield result.data;
      }
    } finally {
      await iterator.return?.(undefined);
    }
  }

  /** Closes the socket (ending every subscription on it) and waits for nothing else. */
  async close(): Promise<void> {
    await this.client.dispose();
  }

  private toCliError(error: unknown): CliError {
    if (error instanceof CliError) return error;
    const list = Array.isArray(error) ? error : null;
    if (list && list.length > 0) {
      const first = list[0] as { message?: string; extensions?: Record<string, unknown> };
      const extensions = first.extensions ?? {};
      const code = typeof extensions.code === 'string' ? extensions.code : 'GRAPHQL_ERROR';
      return new GraphQLResponseError(code, first.message ?? 'subscription failed', extensions);
    }
    const closeCode = (error as { code?: unknown } | null)?.code;
    if (typeof closeCode === 'number') {
      const reason = (error as { reason?: string }).reason;
      // 4403: the node refused the credential (or revoked it): not a network problem.
      if (closeCode === 4403)
        return new CliError(
          'UNAUTHENTICATED',
          `the node refused the credential${reason ? ` (${reason})` : ''}: pass --api-key or LOGWAY_API_KEY`,
        );
      if (!this.connected) return new NodeUnreachableError(this.url, new Error(`socket closed ${closeCode} ${reason ?? ''}`.trim()));
      return new CliError('SOCKET_CLOSED', `the node closed the subscription socket (${closeCode}${reason ? `: ${reason}` : ''})`);
    }
    const message = (error as { message?: string } | null)?.message;
    return new NodeUnreachableError(this.url, new Error(message ?? 'WebSocket error'));
  }
}

/** A ws WebSocket class that also trusts `ca` (graphql-ws constructs it with the URL and subprotocol only). */
function trustingWebSocket(ca: Buffer): typeof WebSocket {
  const trusted = [...tls.rootCertificates, ca.toString('utf8')];
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { ca: trusted });
    }
  } as typeof WebSocket;
}
