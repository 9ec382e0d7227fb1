/**
 * The cluster's Prometheus metrics (README "Metrics"), computed when scraped from this node's
 * replicas and its view of the control plane: under-replicated partitions (led here), offline
 * partitions (on the controller), ISR shrinks and expands this node made as leader, each
 * follower's lag behind this leader in records and milliseconds, controller changes seen and
 * whether this node is the controller.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** A led partition as the metrics read it (server/cluster/partition.ts Partition). */
export interface LedPartitionView {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  followerLag(): { replicaId: number; records: number; ms: number }[];
}

export interface ClusterMetricsView {
  leaderPartitions(): LedPartitionView[];
  isrChanges(): { shrinks: number; expands: number };
  controllerChanges(): number;
  isController(): boolean;
  /** null when this node does not count them (it is not the controller). */
  offlinePartitions(): number | null;
}

export function registerClusterMetrics(registry: Registry, view: ClusterMetricsView): void {
  const registers = [registry];
  new Gauge({
    name: 'logway_under_replicated_partitions',
    help: 'Partitions this node leads whose ISR is smaller than their replica list',
    registers,
    collect() {
      this.set(view.leaderPartitions().filter((p) => p.isr.length < p.replicas.length).length);
    },
  });
  new Gauge({
    name: 'logway_offline_partitions',
    help: 'Partitions with no live leader (reported by the controller only; absent on the other nodes)',
    registers,
    collect() {
      this.reset();
      const offline = view.offlinePartitions();
      if (offline !== null) this.set(offline);
    },
  });
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counter('logway_isr_shrinks_total', 'ISR shrinks this node stored as leader', () => view.isrChanges().shrinks);
  counter('logway_isr_expands_total', 'ISR expands this node stored as leader', () => view.isrChanges().expands);
  counter('logway_controller_changes_total', 'New controllers (controller epochs) this node saw elected', () => view.controllerChanges());
  new Gauge({
    name: 'logway_is_controller',
    help: '1 while this node is the controller, else 0',
    registers,
    collect() {
      this.set(view.isController() ? 1 : 0);
    },
  });
  const lag = (name: string, help: string, pick: (l: { records: number; ms: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['topic', 'partition', 'replica'],
      registers,
      collect() {
        this.reset();
        for (const p of view.leaderPartitions())
          for (const l of p.followerLag())
            this.set({ topic: p.topic, partition: String(p.partition), replica: String(l.replicaId) }, pick(l));
      },
    });
  lag(
    'logway_follower_lag_records',
    'Per follower of a partition this node leads: leader log end minus the follower log end',
    (l) => l.records,
  );
  lag('logway_follower_lag_ms', 'Per follower of a partition this node leads: ms since it last caught up (-1: never)', (l) => l.ms);
}
