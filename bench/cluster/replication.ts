/**
 * Replication over the real cluster port, in one process (docs/CLUSTER-PROTOCOL.md): three
 * ReplicaManagers with real logs in temp dirs, the real fetchers and leader answers on loopback
 * TCP, and a trivial in-process control plane (every ISR change applied). Figures:
 *
 * - produce throughput with acks ALL, RF 3 vs RF 1 (same producers, same batches), and their ratio;
 * - acks ALL latency p50/p99 with RF 3 (append + waiting for the ISR);
 * - catch-up rate of a follower that was stopped while the leader took writes (MB/s).
 *
 * Run: node dist/bench/cluster/replication.js [--seconds 5] [--producers 8] [--catch-up-mb 64]
 * Prints figures (`replication <case> <metric> <value> <unit>`), never asserts (docs/HOUSE-STYLE.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_LOG_CONFIG, LogManager, type LogRecordInput } from '../../storage/index';
import type { AlterIsrResult, IsrChangeSink, NodeDirectory, NodeEndpoint, PartitionState } from '../../server/cluster/cluster-view';
import { ReplicaManager } from '../../server/cluster/replica-manager';
import { startReplication, type Replication } from '../../server/cluster/replication/index';

const RECORDS_PER_BATCH = 100;
const RECORD_BYTES = 100;
const logger = pino({ level: 'silent' });

function argument(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** Every ISR change applied, every state pushed to the nodes it names. */
class StaticControlPlane implements IsrChangeSink, NodeDirectory {
  readonly endpoints = new Map<number, NodeEndpoint>();
  readonly managers = new Map<number, ReplicaManager>();
  private readonly states = new Map<string, PartitionState>();

  endpointOf(nodeId: number): NodeEndpoint | undefined {
    return this.endpoints.get(nodeId);
  }

  async write(state: Omit<PartitionState, 'version'>): Promise<void> {
    const stored = { ...state, version: (this.states.get(`${state.topic}-${state.partition}`)?.version ?? 0) + 1 };
    this.states.set(`${state.topic}-${state.partition}`, stored);
    for (const id of stored.replicas) await this.managers.get(id)?.becomeLeaderOrFollower([stored]);
  }

  async alterIsr(
    topic: string,
    partition: number,
    leaderEpoch: number,
    isr: readonly number[],
    expectedVersion: number,
  ): Promise<AlterIsrResult> {
    const current = this.states.get(`${topic}-${partition}`)!;
    if (current.leaderEpoch !== leaderEpoch || current.version !== expectedVersion) return { applied: false, state: current };
    const state = { ...current, isr: [...isr], version: current.version + 1 };
    this.states.set(`${topic}-${partition}`, state);
    return { applied: true, state };
  }
}

interface BenchNode {
  id: number;
  logs: LogManager;
  replicas: ReplicaManager;
  replication: Replication;
}

async function startNode(id: number, dir: string, control: StaticControlPlane): Promise<BenchNode> {
  const logs = await LogManager.open({ dataDir: join(dir, `node-${id}`) });
  const replicas = new ReplicaManager(id);
  const replication = await startReplication({
    replicaManager: replicas,
    nodeDirectory: control,
    isrChangeSink: control,
    port: 0,
    host: '127.0.0.1',
    logger,
    fetch: { maxWaitMs: 500 },
    openLog: (topic, partition) => logs.openLog(topic, partition, { ...DEFAULT_LOG_CONFIG, retentionMs: -1 }),
  });
  control.endpoints.set(id, { nodeId: id, host: '127.0.0.1', port: 0, clusterPort: replication.port, rack: null });
  control.managers.set(id, replicas);
  return { id, logs, replicas, replication };
}

function batch(round: number): LogRecordInput[] {
  const value = Buffer.alloc(RECORD_BYTES, 97 + (round % 26));
  return Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: Buffer.from(`k${i}`), value, headers: [], timestampMs: Date.now() }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** acks ALL from `producers` concurrent loops for `seconds`: records/s and per-produce latencies (ms). */
async function produceFor(
  leader: BenchNode,
  topic: string,
  seconds: number,
  producers: number,
  minIsr: number,
): Promise<{ recordsPerSec: number; latencies: number[] }> {
  const partition = leader.replicas.partitionFor(topic, 0);
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let produced = 0;
  await Promise.all(
    Array.from({ length: producers }, async (_, producer) => {
      for (let round = producer; performance.now() < deadline; round += producers) {
        const started = performance.now();
        const { result } = await partition.appendRecordsToLeader(batch(round), 'ALL', minIsr);
        await partition.awaitReplicas(result.lastOffset + 1, minIsr, 30_000);
        latencies.push(performance.now() - started);
        produced += RECORDS_PER_BATCH;
      }
    }),
  );
  return { recordsPerSec: produced / seconds, latencies: latencies.sort((a, b) => a - b) };
}

function figure(benchCase: string, metric: string, value: number, unit: string): void {
  console.log(`replication ${benchCase} ${metric} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

async function main(): Promise<void> {
  const seconds = argument('--seconds', 5);
  const producers = argument('--producers', 8);
  const catchUpMb = argument('--catch-up-mb', 64);
  const dir = mkdtempSync(join(tmpdir(), 'logway-bench-replication-'));
  const control = new StaticControlPlane();
  const nodes = [await startNode(0, dir, control), await startNode(1, dir, control), await startNode(2, dir, control)];
  try {
    await control.write({ topic: 'rf1', partition: 0, leaderId: 0, leaderEpoch: 1, replicas: [0], isr: [0] });
    await control.write({ topic: 'rf3', partition: 0, leaderId: 0, leaderEpoch: 1, replicas: [0, 1, 2], isr: [0, 1, 2] });
    const rf1 = await produceFor(nodes[0]!, 'rf1', seconds, producers, 1);
    const rf3 = await produceFor(nodes[0]!, 'rf3', seconds, producers, 2);
    const mbPerSec = (recordsPerSec: number) => (recordsPerSec * RECORD_BYTES) / 1e6;
    figure('rf1-acks-all', 'throughput', Math.round(rf1.recordsPerSec), 'records/s');
    figure('rf3-acks-all', 'throughput', Math.round(rf3.recordsPerSec), 'records/s');
    figure('rf3-acks-all', 'throughput', mbPerSec(rf3.recordsPerSec), 'MB/s');
    figure('rf3-vs-rf1', 'ratio', rf3.recordsPerSec / rf1.recordsPerSec, 'x');
    figure('rf3-acks-all', 'latency-p50', percentile(rf3.latencies, 0.5), 'ms');
    figure('rf3-acks-all', 'latency-p99', percentile(rf3.latencies, 0.99), 'ms');

    // Catch-up: the leader takes catchUpMb (acks LEADER) for a partition whose other replica,
    // node 3, is not running yet; then node 3 starts with an empty log and copies it all.
    await control.write({ topic: 'catch-up', partition: 0, leaderId: 0, leaderEpoch: 1, replicas: [0, 3], isr: [0] });
    const leaderPartition = nodes[0]!.replicas.partitionFor('catch-up', 0);
    const rounds = Math.ceil((catchUpMb * 1e6) / (RECORDS_PER_BATCH * RECORD_BYTES));
    for (let round = 0; round < rounds; round++) await leaderPartition.appendRecordsToLeader(batch(round), 'LEADER', 1);
    const target = leaderPartition.logEndOffset;
    const bytes = leaderPartition.log.sizeBytes;
    const started = performance.now();
    nodes.push(await startNode(3, dir, control));
    await control.write({ topic: 'catch-up', partition: 0, leaderId: 0, leaderEpoch: 1, replicas: [0, 3], isr: [0] });
    const follower = nodes[3]!.replicas.partitionFor('catch-up', 0);
    for (let waitedMs = 0; follower.logEndOffset < target && waitedMs < 600_000; waitedMs += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const elapsedS = (performance.now() - started) / 1000;
    figure('catch-up', 'rate', bytes / 1e6 / elapsedS, 'MB/s');
    figure('catch-up', 'bytes', bytes, 'B');
  } finally {
    for (const node of nodes) await node.replication.close().catch(() => undefined);
    for (const node of nodes) await node.logs.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
