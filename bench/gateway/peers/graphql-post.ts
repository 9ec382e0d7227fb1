/**
 * The bench's own GraphQL-over-HTTP producer client: node:http with a keep-alive agent, one POST
 * per call. Lighter on the load generator than the global fetch the CLI uses (undici's WHATWG
 * streams and an AbortSignal timer per request): the bench shares the 2 cores with the node, and
 * its own CPU and stalls show up in every latency it measures. No timeout: the workloads bound
 * their runs themselves.
 */
import http from 'node:http';

export class GraphQLPost {
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly target: URL;

  constructor(url: string) {
    this.target = new URL(url);
  }

  /** POSTs the document; resolves with `data`, rejects with the first error's message (and code). */
  request(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const body = JSON.stringify({ query, variables });
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
                data?: unknown;
                errors?: { message: string; extensions?: { code?: string } }[];
              };
              const first = parsed.errors?.[0];
              if (first) reject(new Error(`${first.extensions?.code ?? `HTTP_${res.statusCode}`}: ${first.message}`));
              else resolve(parsed.data);
            } catch (error) {
              reject(error as Error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
