/**
 * One data-plane node for in-process replication tests: real logs in a temp dir (LogManager), a
 * ReplicaManager, and the real cluster port and fetchers (startReplication on 127.0.0.1, port 0),
 * registered with a ControlPlaneTwin. `stopFetching`/`resumeFetching` close and restart the data
 * plane while the logs stay open (a follower that stops fetching, then comes back).
 */
import pino from 'pino';
import { LogManager, type PartitionLog } from '../../../storage';
import { ReplicaManager } from '../../../server/cluster/replica-manager';
import { startReplication, type Replication, type ReplicationOptions } from '../../../server/cluster/replication';
import type { Partition } from '../../../server/cluster/partition';
import { testConfig } from '../log-builders';
import { makeTmpDir, removeTmpDir } from '../tmp-dir';
import type { ControlPlaneTwin } from './control-plane-twin';

const silent = pino({ level: process.env.LOGWAY_TEST_LOG_LEVEL ?? 'silent' });

export type NodeSettings = Pick<ReplicationOptions, 'replicaLagTimeMaxMs' | 'fetch' | 'network' | 'tls'>;

export class ReplicationNode {
  replication: Replication | null = null;

  private constructor(
    readonly id: number,
    readonly dir: string,
    public logs: LogManager,
    public replicas: ReplicaManager,
    private readonly twin: ControlPlaneTwin,
    private readonly settings: NodeSettings,
  ) {}

  static async start(id: number, twin: ControlPlaneTwin, settings: NodeSettings = {}): Promise<ReplicationNode> {
    const dir = makeTmpDir(`logway-repl-${id}-`);
    const logs = await LogManager.open({ dataDir: dir });
    const node = new ReplicationNode(id, dir, logs, new ReplicaManager(id), twin, settings);
    await node.resumeFetching();
    return node;
  }

  partition(topic: string, partition = 0): Partition {
    return this.replicas.partitionFor(topic, partition);
  }

  log(topic: string, partition = 0): PartitionLog {
    return this.partition(topic, partition).log;
  }

  async stopFetching(): Promise<void> {
    await this.replication?.close();
    this.replication = null;
  }

  async resumeFetching(): Promise<void> {
    this.replication = await startReplication({
      replicaManager: this.replicas,
      nodeDirectory: this.twin,
      isrChangeSink: this.twin,
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      openLog: (topic, partition) => this.logs.openLog(topic, partition, testConfig()),
      ...this.settings,
    });
    this.twin.register(this.id, this.replication.port, this.replicas);
  }

  /**
   * The node goes down and comes back on the same data dir: logs reopened (recovered), a new
   * ReplicaManager, and the control plane's states for it sent again, as etcd's would be on rejoin.
   * `whileDown` runs between the two (the cluster moving on without it).
   */
  async restart(whileDown: () => Promise<void> = async () => undefined): Promise<void> {
    await this.stopFetching();
    this.twin.deregister(this.id);
    await this.logs.close();
    await whileDown();
    this.logs = await LogManager.open({ dataDir: this.dir });
    this.replicas = new ReplicaManager(this.id);
    await this.resumeFetching();
    await this.twin.resend(this.id);
  }

  async close(): Promise<void> {
    await this.stopFetching().catch(() => undefined);
    await this.logs.close().catch(() => undefined);
    removeTmpDir(this.dir);
  }
}

export function waitUntil(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
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

/** Every batch's bytes below `endOffset`, concatenated (replicas must be byte-identical there). */
export async function logBytes(log: PartitionLog, endOffset: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let offset = log.logStartOffset;
  while (offset < endOffset) {
    const batches = await log.read(offset, { maxOffset: endOffset, maxBytes: 1_048_576 });
    if (batches.length === 0) break;
    for (const batch of batches) parts.push(batch.bytes);
    offset = batches[batches.length - 1]!.lastOffset + 1;
  }
  return Buffer.concat(parts);
}
