/**
 * Starts a real node for black-box tests: port 0, a fresh temp data dir, quiet logs. Gives a
 * GraphQL-over-HTTP helper and a graphql-ws client factory, and disposes of everything it started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { startNode, type RunningNode, type StartOptions } from '../../server/main';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

export interface TestNode {
  node: RunningNode;
  dataDir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Data of a request that must succeed (throws with the errors otherwise). */
  ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The extensions.code of a request that must fail. */
  errorCode(query: string, variables?: Record<string, unknown>): Promise<string | undefined>;
  wsClient(options?: { lazy?: boolean }): Client;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `startOptions.fs` swaps in a fault-injecting file system (kept across restart()). */
export async function startTestNode(
  extraArgs: string[] = [],
  existingDataDir?: string,
  startOptions: Pick<StartOptions, 'fs'> = {},
): Promise<TestNode> {
  const dataDir = existingDataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'logway-test-')));
  const clients: Client[] = [];
  const start = () =>
    startNode(loadConfig(['--port', '0', '--data-dir', dataDir, ...extraArgs], {}), {
      ...startOptions,
      logger: pino({ level: process.env.LOGWAY_TEST_LOG ?? 'silent' }),
    });
  let node = await start();
  const handle: TestNode = {
    get node() {
      return node;
    },
    dataDir,
    async gql(query, variables, headers = {}) {
      const response = await fetch(node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: any = {};
      try {
        body = JSON.parse(text);
      } catch {
        body = { errors: [{ message: text }] };
      }
      return { status: response.status, ...body };
    },
    async ok(query, variables) {
      const result = await handle.gql(query, variables);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data;
    },
    async errorCode(query, variables) {
      const result = await handle.gql(query, variables);
      return result.errors?.[0]?.extensions?.code;
    },
    wsClient(options = {}) {
      const client = createClient({ url: node.wsUrl, webSocketImpl: WebSocket, lazy: options.lazy ?? true, retryAttempts: 0 });
      clients.push(client);
      return client;
    },
    async restart() {
      await node.close();
      node = await start();
    },
    async stop() {
      for (const client of clients) await client.dispose();
      await node.close();
      if (!existingDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Collects events of a subscription until `count` arrived (or the stream ends / errors). */
export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown>, until: (events: T[]) => boolean) {
  const events: T[] = [];
  let unsubscribe = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) {
            reject(Object.assign(new Error(JSON.stringify(value.errors)), { errors: value.errors }));
            return;
          }
          events.push(value.data as T);
          if (until(events)) {
            unsubscribe();
            resolve(events);
          }
        },
        error: (error) => reject(Array.isArray(error) ? Object.assign(new Error(JSON.stringify(error)), { errors: error }) : error),
        complete: () => resolve(events),
      },
    );
  });
  done.catch(() => undefined); // observed by the test when it awaits `done`; not an unhandled rejection meanwhile
  return { events, done, stop: () => unsubscribe() };
}

export function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Waits a fixed time: for things a test cannot observe directly (a session expiring, a leave's commit). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
