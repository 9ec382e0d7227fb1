/**
 * A real cluster for black-box tests: one real etcd and N Logway nodes, each a separate process
 * (test/support/node-process.ts) with its own temp data dir and free ports, joined through etcd.
 * Faults: kill -9, SIGSTOP/SIGCONT, restart on the same data dir; with `{ faultProxies: true }`
 * every replication link and every node's etcd link goes through a userspace proxy
 * (cluster-links.ts: delay, blackhole, cut per link). close() ends every process it
 * started and removes every dir, also after a failed test. Helpers find the current leader and
 * produce to it, retrying retriable errors (leadership may move at any time under load: a
 * lease can expire on a starved machine), so tests assert invariants, not who leads when.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startNodeProcess, stopNodeProcess, postGraphQL, type NodeProcess } from '../node-process';
import { ClusterLinks } from './cluster-links';
import { startEtcd, type EtcdProcess } from './etcd-process';

export interface ClusterNodeHandle {
  readonly nodeId: number;
  readonly dataDir: string;
  process: NodeProcess | null;
  paused: boolean;
}

export interface PartitionView {
  leader: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  highWatermark: number;
  logEndOffset: number;
}

export interface TestClusterOptions {
  /** Put every replication link and each node's etcd link through a fault proxy (`TestCluster.links`). */
  faultProxies?: boolean;
}

/** The session timeout the test nodes run with: long enough that a loaded 2-core machine keeps its leases. */
export const TEST_SESSION_TIMEOUT_MS = 6_000;

const RETRIABLE = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/**
 * One cluster of `count` nodes for a test file: started before its tests, closed after them.
 * The returned object forwards to that cluster (it exists only once beforeAll ran).
 */
export function useTestCluster(count: number, extraArgs: string[] = [], options: TestClusterOptions = {}): TestCluster {
  let cluster: TestCluster | null = null;
  beforeAll(async () => {
    cluster = await TestCluster.start(count, extraArgs, options);
  });
  afterAll(async () => {
    await cluster?.close();
  });
  return new Proxy({} as TestCluster, {
    get(_target, name) {
      if (!cluster) throw new Error('useTestCluster: the cluster is started in beforeAll; use it inside a test');
      const value = Reflect.get(cluster, name, cluster) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(cluster) : value;
    },
  });
}

export class TestCluster {
  private constructor(
    readonly etcd: EtcdProcess,
    readonly nodes: Map<number, ClusterNodeHandle>,
    private readonly extraArgs: string[],
    private linksOrNull: ClusterLinks | null = null,
  ) {}

  /** Starts etcd and nodes 1..count (in parallel), each a member once its process says LISTENING. */
  static async start(count: number, extraArgs: string[] = [], options: TestClusterOptions = {}): Promise<TestCluster> {
    const etcd = await startEtcd();
    const cluster = new TestCluster(etcd, new Map(), extraArgs);
    try {
      if (options.faultProxies)
        cluster.linksOrNull = await ClusterLinks.start(
          Array.from({ length: count }, (_, i) => i + 1),
          etcd.url,
        );
      for (let nodeId = 1; nodeId <= count; nodeId++) {
        cluster.nodes.set(nodeId, {
          nodeId,
          dataDir: await mkdtemp(path.join(os.tmpdir(), `logway-node${nodeId}-`)),
          process: null,
          paused: false,
        });
      }
      await Promise.all([...cluster.nodes.keys()].map((id) => cluster.startNode(id)));
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** The fault proxies of every link (only with `{ faultProxies: true }`). */
  get links(): ClusterLinks {
    if (!this.linksOrNull) throw new Error('this cluster was started without { faultProxies: true }');
    return this.linksOrNull;
  }

  node(nodeId: number): ClusterNodeHandle {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`no node ${nodeId}`);
    return node;
  }

  /** Starts (or restarts) a node's process on its data dir. */
  async startNode(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    node.process = await startNodeProcess(node.dataDir, [
      '--node-id',
      String(nodeId),
      ...(this.linksOrNull ? this.linksOrNull.argsFor(nodeId) : ['--etcd-endpoints', this.etcd.url]),
      '--cluster-session-timeout-ms',
      String(TEST_SESSION_TIMEOUT_MS),
      ...this.extraArgs,
    ]);
    node.paused = false;
  }

  async kill9(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    if (node.process) await stopNodeProcess(node.process, 'SIGKILL');
    node.process = null;
  }

  /** SIGTERM (the clean shutdown) and wait for the exit; the exit code (0 when it shut down cleanly). */
  async terminate(nodeId: number): Promise<number | null> {
    const node = this.node(nodeId);
    const process = node.process!;
    await stopNodeProcess(process, 'SIGTERM');
    node.process = null;
    return process.child.exitCode;
  }

  pause(nodeId: number): void {
    this.node(nodeId).process!.child.kill('SIGSTOP');
    this.node(nodeId).paused = true;
  }

  resume(nodeId: number): void {
    this.node(nodeId).process!.child.kill('SIGCONT');
    this.node(nodeId).paused = false;
  }

  /** One GraphQL request to a node: the parsed body, errors included. */
  gql(nodeId: number, query: string, variables?: object): Promise<any> {
    const process = this.node(nodeId).process;
    if (!process) throw new Error(`node ${nodeId} is not running`);
    return postGraphQL(process.url, query, variables);
  }

  /** Data of a request that must succeed. */
  async ok(nodeId: number, query: string, variables?: object): Promise<any> {
    const body = await this.gql(nodeId, query, variables);
    if (body.errors?.length) throw new Error(`node ${nodeId}: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  /** One partition as a node describes it (null when it does not know the topic). */
  async partition(nodeId: number, topic: string, partition = 0): Promise<PartitionView | null> {
    const data = await this.ok(
      nodeId,
      `query($t: String!) { topic(name: $t) { partitions { partition leader leaderEpoch replicas isr highWatermark logEndOffset } } }`,
      { t: topic },
    );
    return data.topic?.partitions.find((p: { partition: number }) => p.partition === partition) ?? null;
  }

  /** The partition as a running node sees it once it has a leader that is running (and, with `fullIsr`, every replica in its ISR). */
  leaderView(topic: string, partition = 0, fullIsr = false): Promise<PartitionView> {
    return this.waitFor(`a running leader of ${topic}-${partition}`, async () => {
      for (const id of this.running()) {
        const p = await this.partition(id, topic, partition);
        if (p && p.leader !== null && this.running().includes(p.leader) && (!fullIsr || p.isr.length === p.replicas.length)) return p;
      }
      return undefined;
    });
  }

  /** An acks ALL produce of `values` to the partition's current leader, retried on retriable errors; the node that acknowledged it and the offsets. */
  async produce(topic: string, partition: number, values: string[]): Promise<{ leader: number; offsets: number[] }> {
    const query = `mutation($t: String!, $r: [RecordInput!]!) { produce(input: { topic: $t, acks: ALL, records: $r }) { records { offset } } }`;
    return this.waitFor(
      `an acknowledged produce to ${topic}-${partition}`,
      async () => {
        const { leader } = await this.leaderView(topic, partition);
        const body = await this.gql(leader!, query, { t: topic, r: values.map((value) => ({ value, partition })) });
        if (!body.errors) return { leader: leader!, offsets: body.data.produce.records.map((r: { offset: number }) => r.offset) };
        if (!RETRIABLE.has(body.errors[0]?.extensions?.code)) throw new Error(`produce refused: ${JSON.stringify(body.errors)}`);
        return undefined;
      },
      60_000,
    );
  }

  /** Every record value a node serves of a partition (up to its high watermark). */
  async values(nodeId: number, topic: string, partition = 0): Promise<string[]> {
    const data = await this.ok(
      nodeId,
      `query($t: String!, $p: Int!) { records(topic: $t, partition: $p, offset: 0, limit: 10000) { records { value } } }`,
      { t: topic, p: partition },
    );
    return data.records.records.map((r: { value: string }) => r.value);
  }

  /** Polls `probe` until it returns a value that is not undefined (errors count as not yet), or fails after `timeoutMs`. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const started = Date.now();
    let last: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every running, unpaused node id. */
  running(): number[] {
    return [...this.nodes.values()].filter((n) => n.process && !n.paused).map((n) => n.nodeId);
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) {
      if (node.process) {
        if (node.paused) node.process.child.kill('SIGCONT');
        await stopNodeProcess(node.process, 'SIGKILL');
        node.process = null;
      }
    }
    await this.linksOrNull?.close();
    await this.etcd.stop();
    for (const node of this.nodes.values()) await rm(node.dataDir, { recursive: true, force: true });
  }
}

/** True when every value of `acked` appears in `served` in the same order (a retried produce may have written some twice). */
export function containsInOrder(served: readonly string[], acked: readonly string[]): boolean {
  let next = 0;
  for (const value of served) if (value === acked[next]) next++;
  return next === acked.length;
}
