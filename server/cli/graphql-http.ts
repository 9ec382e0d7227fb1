/**
 * A tiny GraphQL-over-HTTP client: one POST per operation with JSON in and out, on the global
 * fetch (undici keeps connections alive between calls). A response with `errors` becomes a
 * GraphQLResponseError carrying the first error's `extensions.code`; a network failure becomes
 * NodeUnreachableError. Not safe to share across processes; safe for concurrent calls.
 */
import { CliError, GraphQLResponseError, NodeUnreachableError } from './cli-errors';
import type { Operation } from './generated/operations';

export interface GraphQLHttpOptions {
  /** Per-request deadline in ms (default 60 s: a 1,000-record acks=ALL batch takes well under 1 s). */
  requestTimeoutMs?: number;
  /** Sent as `Authorization: Bearer <apiKey>` (the node's --auth required). */
  apiKey?: string | null;
}

interface ResponseBody<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: Record<string, unknown> }[];
}

export class GraphQLHttpClient {
  private readonly requestTimeoutMs: number;
  private readonly authorization: Record<string, string>;

  constructor(
    readonly url: string,
    options: GraphQLHttpOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.authorization = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  }

  /**
   * Runs a document of generated/operations.ts: its result and variables types are the contract's.
   * A plain string is accepted too, with an `unknown` result (bench/ sends its own documents); the
   * CLI itself sends only generated ones (test/schema/client-types.test.ts).
   */
  async request<T, V>(query: Operation<T, V>, variables: NoInfer<V>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...this.authorization },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      throw new NodeUnreachableError(this.url, error);
    }
    const text = await response.text();
    let body: ResponseBody<T>;
    try {
      body = JSON.parse(text) as ResponseBody<T>;
    } catch {
      throw new CliError(`HTTP_${response.status}`, `${this.url} answered ${response.status} with a non-JSON body: ${text.slice(0, 200)}`);
    }
    const first = body.errors?.[0];
    if (first) {
      const extensions = first.extensions ?? {};
      const code = typeof extensions.code === 'string' ? extensions.code : `HTTP_${response.status}`;
      throw new GraphQLResponseError(code, first.message ?? 'unknown error', extensions);
    }
    if (body.data == null) throw new CliError(`HTTP_${response.status}`, `${this.url} answered without data`);
    return body.data;
  }
}
