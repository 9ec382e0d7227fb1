/** Command-line options of the gateway benchmark, with the full and --quick sizes side by side. */
import { parseArgs } from 'node:util';

export const WORKLOADS = ['produce', 'deliver', 'fanout', 'latency', 'cost', 'scale'] as const;
export type Workload = (typeof WORKLOADS)[number];
export const PEERS = ['logway', 'nats', 'redis'] as const;
export type PeerId = (typeof PEERS)[number];

export interface BenchOptions {
  quick: boolean;
  peers: PeerId[];
  workloads: Set<Workload>;
  /** Record sizes in bytes for produce and single-subscriber delivery (100 B and 1 KiB). */
  recordSizes: number[];
  produceClients: number;
  produceDurationMs: number;
  deliverRecords: number;
  fanoutSubscribers: number;
  fanoutRecords: number;
  latencyRecordsPerS: number;
  /** Records per produce call in the latency workload (5 per call at 5,000/s: a call every ms). */
  latencyRecordsPerCall: number;
  latencyDurationMs: number;
  /** Sequential produce calls of the cost workload. */
  costCalls: number;
  scaleTopics: number;
  scalePartitionsPerTopic: number;
  scaleSubscriptions: number;
  /** Directory for the Logway node's CPU profile (--cpu-prof), or null. */
  profileDir: string | null;
  /** Extra node flags for the Logway node (--node-args=--trace-gc,--flag2). */
  nodeArgs: string[];
  /** File to write the Logway node's output to when it stops (--node-output), or null. */
  nodeOutput: string | null;
}

export const USAGE = `usage: node dist/bench/gateway/main.js [--quick] [--peers logway,nats,redis]
         [--only produce,deliver,fanout,latency,cost,scale] [--clients 4] [--profile DIR]
         [--node-args=--trace-gc,...] [--node-output FILE]
`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      peers: { type: 'string' },
      only: { type: 'string' },
      clients: { type: 'string' },
      profile: { type: 'string' },
      'node-args': { type: 'string' },
      'node-output': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const quick = values.quick === true;
  const peers = list(values.peers, PEERS, 'peers');
  const workloads = new Set(list(values.only, WORKLOADS, 'only'));
  return {
    quick,
    peers,
    workloads,
    recordSizes: [100, 1024],
    produceClients: Number(values.clients ?? 4),
    produceDurationMs: quick ? 3_000 : 10_000,
    deliverRecords: quick ? 20_000 : 100_000,
    fanoutSubscribers: 100,
    fanoutRecords: quick ? 1_000 : 10_000,
    latencyRecordsPerS: 5_000,
    latencyRecordsPerCall: 5,
    latencyDurationMs: quick ? 4_000 : 15_000,
    costCalls: quick ? 1_000 : 3_000,
    scaleTopics: quick ? 10 : 100,
    scalePartitionsPerTopic: 100,
    scaleSubscriptions: quick ? 1_000 : 10_000,
    profileDir: values.profile ?? null,
    nodeArgs: (values['node-args'] ?? '').split(',').filter(Boolean),
    nodeOutput: values['node-output'] ?? null,
  };
}

function list<T extends string>(raw: string | undefined, allowed: readonly T[], name: string): T[] {
  if (raw === undefined) return [...allowed];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`--${name}: unknown "${item}" (${allowed.join(', ')})`);
  }
  return items as T[];
}
