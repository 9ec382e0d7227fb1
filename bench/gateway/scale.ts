/**
 * Logway at scale, Logway only: a node holding `topics × partitionsPerTopic` partitions. Measures
 * creating them through GraphQL, then a restart: start-up time (spawn → "logway node started"),
 * RSS and open file handles (/proc/<pid>/fd) once started, and the memory cost of idle
 * subscriptions (one per partition, from LATEST, 100 per WebSocket: the node's per-connection cap).
 */
import { rm } from 'node:fs/promises';
import { GraphQLHttpClient } from '../../server/cli/graphql-http';
import { GraphQLWsClient } from '../../server/cli/graphql-ws-client';
import { LogwayNode } from './peers/logway-peer';
import { processStats, type ProcessStats } from './process-stats';
import { sleep } from './stats';

export interface ScaleResult {
  partitions: number;
  /** Start-up of the same node on an empty data dir: the fixed cost (module loading, catalog). */
  emptyStartupMs: number;
  createSeconds: number;
  afterCreate: ProcessStats;
  startupMs: number;
  afterRestart: ProcessStats;
  subscriptions: number;
  liveSubscriptions: number;
  afterSubscribe: ProcessStats;
  bytesPerSubscription: number;
}

const SUBSCRIPTIONS_PER_SOCKET = 100;
const IDLE = `subscription($topic: String!, $partitions: [Int!]) {
  records(topic: $topic, partitions: $partitions, from: LATEST) { records { offset } }
}`;

export async function scaleBench(options: {
  topics: number;
  partitionsPerTopic: number;
  subscriptions: number;
  log: (line: string) => void;
}): Promise<ScaleResult> {
  const partitions = options.topics * options.partitionsPerTopic;
  let node = await LogwayNode.start({ log: options.log });
  const dataDir = node.dataDir;
  const emptyStartupMs = node.startupMs;
  const topicName = (index: number) => `scale-${String(index).padStart(4, '0')}`;
  try {
    const admin = new GraphQLHttpClient(node.url, { requestTimeoutMs: 600_000 });
    const createStartedMs = performance.now();
    for (let topic = 0; topic < options.topics; topic++) {
      await admin.request('mutation($input: CreateTopicInput!) { createTopic(input: $input) { name } }', {
        input: { name: topicName(topic), partitions: options.partitionsPerTopic },
      });
    }
    const createSeconds = (performance.now() - createStartedMs) / 1000;
    const afterCreate = processStats(node.process.pid);
    options.log(`scale: ${partitions} partitions created in ${createSeconds.toFixed(1)} s; restarting`);
    await node.process.stop(120_000);
    node = await LogwayNode.start({ dataDir: node.dataDir, log: options.log });
    await sleep(1_000);
    const afterRestart = processStats(node.process.pid);
    options.log(`scale: restarted in ${node.startupMs.toFixed(0)} ms; opening ${options.subscriptions} idle subscriptions`);

    const sockets: GraphQLWsClient[] = [];
    const pumps: Promise<void>[] = [];
    let failed = 0;
    for (let index = 0; index < options.subscriptions; index++) {
      if (index % SUBSCRIPTIONS_PER_SOCKET === 0) sockets.push(new GraphQLWsClient(node.wsUrl));
      const socket = sockets.at(-1)!;
      const topic = topicName(Math.floor(index / options.partitionsPerTopic) % options.topics);
      const stream = socket.subscribe(IDLE, { topic, partitions: [index % options.partitionsPerTopic] });
      pumps.push(
        (async () => {
          for await (const _ of stream);
        })().catch((error: unknown) => {
          if (failed++ === 0) options.log(`scale: first failed subscription: ${(error as Error).message}`);
        }),
      );
    }
    const live = await waitForSubscriptions(node.url, options.subscriptions, 120_000);
    await sleep(2_000);
    const afterSubscribe = processStats(node.process.pid);
    if (failed > 0) options.log(`scale: ${failed} subscriptions failed`);
    await Promise.all(sockets.map((s) => s.close()));
    return {
      partitions,
      emptyStartupMs,
      createSeconds,
      afterCreate,
      startupMs: node.startupMs,
      afterRestart,
      subscriptions: options.subscriptions,
      liveSubscriptions: live,
      afterSubscribe,
      bytesPerSubscription: (afterSubscribe.rssBytes - afterRestart.rssBytes) / Math.max(1, live),
    };
  } finally {
    await node.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Polls the node's own gauge (logway_active_subscriptions) until `count` are live or time runs out. */
async function waitForSubscriptions(graphqlUrl: string, count: number, timeoutMs: number): Promise<number> {
  const metricsUrl = graphqlUrl.replace(/\/graphql$/, '/metrics');
  const deadlineMs = performance.now() + timeoutMs;
  let live = 0;
  while (performance.now() < deadlineMs) {
    const text = await (await fetch(metricsUrl)).text();
    live = Number(text.match(/^logway_active_subscriptions (\d+)/m)?.[1] ?? 0);
    if (live >= count) break;
    await sleep(250);
  }
  return live;
}
