/**
 * A tiny GraphQL-over-HTTP client: one POST per operation with JSON in and out, on node:http or
 * node:https (an https:// URL; `ca` adds trusted CA certificates for a self-signed node) with a
 * keep-alive agent, so connections are reused between calls. A response with `errors` becomes a
 * GraphQLResponseError carrying the first error's `extensions.code`; a network or TLS failure
 * becomes NodeUnreachableError. Not safe to share across processes; safe for concurrent calls.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { CliError, GraphQLResponseError, NodeUnreachableError } from './cli-errors';
import type { Operation } from './generated/operations';

export interface GraphQLHttpOptions {
  /** Per-request deadline in ms (default 60 s: a 1,000-record acks=ALL batch takes well under 1 s). */
  requestTimeoutMs?: number;
  /** Sent as `Authorization: Bearer <apiKey>` (the node's --auth required). */
  apiKey?: string | null;
  /** PEM CA certificates trusted beside the system's (--ca-file), for https:// URLs. */
  ca?: Buffer | null;
}

interface ResponseBody<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: Record<string, unknown> }[];
}

export class GraphQLHttpClient {
  private readonly requestTimeoutMs: number;
  private readonly authorization: Record<string, string>;
  private readonly target: URL;
  private readonly agent: http.Agent;

  constructor(
    readonly url: string,
    options: GraphQLHttpOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.authorization = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
    this.target = new URL(url);
    // Keep-alive sockets are unref'd while idle, so the agent never holds the process open.
    this.agent =
      this.target.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ...(options.ca ? { ca: [...tlsRootCertificates(), options.ca.toString('utf8')] } : {}) })
        : new http.Agent({ keepAlive: true });
  }

  /**
   * Runs a document of generated/operations.ts: its result and variables types are the contract's.
   * A plain string is accepted too, with an `unknown` result (bench/ sends its own documents); the
   * CLI itself sends only generated ones (test/schema/client-types.test.ts).
   */
  async request<T, V>(query: Operation<T, V>, variables: NoInfer<V>): Promise<T> {
    let response: { status: number; text: string };
    try {
      response = await this.post(JSON.stringify({ query, variables }));
    } catch (error) {
      throw new NodeUnreachableError(this.url, error);
    }
    const text = response.text;
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

  private post(body: string): Promise<{ status: number; text: string }> {
    const send = this.target.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            'content-length': Buffer.byteLength(body),
            ...this.authorization,
          },
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** Node's bundled roots, so --ca-file adds to them rather than replacing them (NODE_EXTRA_CA_CERTS is not used once `ca` is given). */
function tlsRootCertificates(): string[] {
  return [...tls.rootCertificates];
}
