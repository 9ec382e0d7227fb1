/**
 * The checks every cluster fault test reports (docs/RELIABILITY.md §3.2): acknowledged records
 * lost (acknowledged values the final leader does not serve) and divergent replicas below the high
 * watermark (offsets where two replicas serve a different record: key, value, timestamp or
 * headers), read through each node's GraphQL once every replica has the leader's high watermark.
 * Prints one report line per scenario; the test asserts the counts, never the times.
 */
import type { TestCluster } from './cluster-harness';

export interface ServedRecord {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: string;
  headers: { key: string; value: string | null }[];
}

const PAGE = `query($t: String!, $p: Int!, $o: SafeInt!) { records(topic: $t, partition: $p, offset: $o, limit: 5000) {
  nextOffset records { offset key value timestamp headers { key value } } } }`;

/** Every record a node serves of a partition, from offset 0 up to its high watermark. */
export async function servedRecords(cluster: TestCluster, nodeId: number, topic: string, partition = 0): Promise<ServedRecord[]> {
  const records: ServedRecord[] = [];
  for (let offset = 0; ;) {
    const data = await cluster.ok(nodeId, PAGE, { t: topic, p: partition, o: offset });
    const page = data.records as { nextOffset: number; records: ServedRecord[] };
    records.push(...page.records);
    if (page.records.length === 0 || page.nextOffset <= offset) return records;
    offset = page.nextOffset;
  }
}

/** Acknowledged values missing from `served`. */
export function lostAcknowledged(served: readonly string[], acked: readonly string[]): string[] {
  const present = new Set(served);
  return acked.filter((v) => !present.has(v));
}

export interface ReplicaComparison {
  highWatermark: number;
  /** Offsets below the HW where some replica's record differs from the leader's. */
  divergentOffsets: number[];
  /** The leader's records below its HW. */
  leaderRecords: ServedRecord[];
}

/**
 * Waits until every running replica's high watermark is the leader's (all in the ISR, caught up),
 * then compares their records below it with the leader's, offset by offset.
 */
async function compareReplicas(cluster: TestCluster, topic: string, partition = 0, timeoutMs = 60_000): Promise<ReplicaComparison> {
  const view = await cluster.waitFor(
    'every replica in the ISR with the same high watermark',
    async () => {
      const leaderView = await cluster.leaderView(topic, partition, true);
      const views = await Promise.all(leaderView.replicas.map((id) => cluster.partition(id, topic, partition)));
      return views.every((v) => v && v.highWatermark === leaderView.highWatermark && v.leaderEpoch === leaderView.leaderEpoch)
        ? leaderView
        : undefined;
    },
    timeoutMs,
  );
  const leaderRecords = await servedRecords(cluster, view.leader!, topic, partition);
  const divergent = new Set<number>();
  for (const id of view.replicas) {
    if (id === view.leader) continue;
    const records = await servedRecords(cluster, id, topic, partition);
    for (let i = 0; i < view.highWatermark; i++) {
      if (JSON.stringify(records[i] ?? null) !== JSON.stringify(leaderRecords[i] ?? null)) divergent.add(i);
    }
  }
  return { highWatermark: view.highWatermark, divergentOffsets: [...divergent].sort((a, b) => a - b), leaderRecords };
}

/** One line per scenario: what was acknowledged and lost, the divergence, and the figures (printed, not asserted). */
function report(scenario: string, figures: Record<string, string | number>): void {
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(`[fault ${scenario}] ${text}\n`);
}

export interface LossCheck {
  /** Acknowledged values the final leader does not serve. */
  lost: string[];
  replicas: ReplicaComparison;
  /** The values the final leader serves below its high watermark. */
  served: string[];
}

/**
 * The end of a fault scenario: compareReplicas, the acknowledged values lost, and the report line
 * (acked, lost, divergentBelowHw, then the scenario's own figures). The test asserts the counts.
 */
export async function checkAcknowledged(
  cluster: TestCluster,
  scenario: string,
  topic: string,
  acked: readonly string[],
  figures: Record<string, string | number> = {},
  timeoutMs?: number,
): Promise<LossCheck> {
  const replicas = await compareReplicas(cluster, topic, 0, timeoutMs);
  const served = replicas.leaderRecords.map((r) => r.value!);
  const lost = lostAcknowledged(served, acked);
  report(scenario, { acked: acked.length, lost: lost.length, divergentBelowHw: replicas.divergentOffsets.length, ...figures });
  return { lost, replicas, served };
}
