/**
 * Logway under test: one node in a child process (so its RSS, file handles and CPU profile are
 * its own), driven only through the public GraphQL API: `produce` over HTTP, the `records`
 * subscription over graphql-ws. The node runs from the build (dist/server/cli/main.js start);
 * when that cannot start, from the sources through the SWC require hook, and says so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GraphQLHttpClient } from '../../../server/cli/graphql-http';
import { GraphQLWsClient } from '../../../server/cli/graphql-ws-client';
import { GraphQLPost } from './graphql-post';
import { startProcess, type StartedProcess } from '../child-process';
import { repoRoot } from '../paths';
import { scrapeServer, type ServerSnapshot } from '../server-metrics';
import type { Peer, PeerProducer, PeerSubscription } from './peer';

export interface LogwayNodeOptions {
  /** Existing data dir to reopen (default: a new temp dir, removed on close). */
  dataDir?: string;
  /** Write a V8 CPU profile of the node into this directory when it stops. */
  cpuProfileDir?: string | null;
  log?: (line: string) => void;
  /** Extra node flags for the node process (e.g. --trace-gc), before the script. */
  nodeArgs?: readonly string[];
  /** Write everything the node printed (its log, --trace-gc lines) to this file when it stops. */
  outputFile?: string | null;
}

export class LogwayNode {
  private constructor(
    readonly process: StartedProcess,
    readonly url: string,
    readonly wsUrl: string,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly outputFile: string | null,
    /** Wall time from spawn to "logway node started", in ms. */
    readonly startupMs: number,
  ) {}

  static async start(options: LogwayNodeOptions = {}): Promise<LogwayNode> {
    const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'logway-bench-')));
    const root = repoRoot();
    const profile = [
      ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
      ...(options.nodeArgs ?? []),
    ];
    const nodeArgs = ['start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'info'];
    const entries: [string, string[]][] = [
      ['build', [...profile, path.join(root, 'dist', 'server', 'cli', 'main.js'), ...nodeArgs]],
      [
        'sources (SWC require hook)',
        [...profile, '-r', path.join(root, 'test', 'support', 'ts-register.cjs'), path.join(root, 'server', 'cli', 'main.ts'), ...nodeArgs],
      ],
    ];
    let lastError: unknown;
    for (const [label, args] of entries) {
      const startedMs = performance.now();
      try {
        const { process: child, match } = await startProcess({
          command: process.execPath,
          args,
          cwd: root,
          ready: /"url":"(http:\/\/[^"]+)".*"msg":"logway node started"/,
          readyTimeoutMs: 300_000, // 10,000 partitions take a while to open
        });
        const url = match[1]!;
        if (label !== 'build') options.log?.(`note: the Logway node runs from the ${label}; the build did not start`);
        return new LogwayNode(
          child,
          url,
          url.replace(/^http/, 'ws'),
          dataDir,
          options.dataDir === undefined,
          options.outputFile ?? null,
          performance.now() - startedMs,
        );
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /** SIGTERM (clean close, profile written); keeps the data dir when asked. */
  async stop(keepData = false): Promise<void> {
    await this.process.stop(60_000);
    if (this.outputFile) await writeFile(this.outputFile, this.process.output());
    if (this.ownsDataDir && !keepData) await rm(this.dataDir, { recursive: true, force: true });
  }
}

const CREATE_TOPIC = 'mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }';
const PRODUCE = 'mutation($input: ProduceInput!) { produce(input: $input) { topic } }';
const RECORDS = `subscription($topic: String!, $from: StartFrom!) {
  records(topic: $topic, from: $from, maxBatch: 1000) { records { value } }
}`;

export class LogwayPeer implements Peer {
  readonly name = 'Logway';
  readonly durability = 'acks ALL: appended and fsynced (group commit) before the reply';
  private readonly admin: GraphQLHttpClient;

  constructor(readonly node: LogwayNode) {
    this.admin = new GraphQLHttpClient(node.url);
  }

  get pid(): number {
    return this.node.process.pid;
  }

  async createTopic(topic: string, partitions = 1): Promise<void> {
    await this.admin.request(CREATE_TOPIC, { input: { name: topic, partitions } });
  }

  async producer(): Promise<PeerProducer> {
    const client = new GraphQLPost(this.node.url);
    return {
      async send(topic, values) {
        await client.request(PRODUCE, { input: { topic, acks: 'ALL', records: values.map((value) => ({ value })) } });
      },
      async close() {
        client.close();
      },
    };
  }

  async subscribe(topic: string, from: 'earliest' | 'latest', onValues: (values: string[]) => void): Promise<PeerSubscription> {
    const client = new GraphQLWsClient(this.node.wsUrl);
    const stream = client.subscribe<{ records: { records: { value: string }[] } }, Record<string, unknown>>(RECORDS, {
      topic,
      from: from.toUpperCase(),
    });
    let closed = false;
    const pump = (async () => {
      for await (const data of stream) onValues(data.records.records.map((r) => r.value));
    })().catch((error: unknown) => {
      if (!closed) process.stderr.write(`logway subscription failed: ${(error as Error).message}\n`);
    });
    return {
      async close() {
        closed = true;
        await client.close();
        // The iterator ends when the socket closes; do not let a slow close hold the bench up.
        await Promise.race([pump, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      },
    };
  }

  serverMetrics(): Promise<ServerSnapshot> {
    return scrapeServer(this.node.url.replace(/\/graphql$/, '/metrics'));
  }

  async close(): Promise<void> {
    await this.node.stop();
  }
}
