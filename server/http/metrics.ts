/**
 * Prometheus metrics (prom-client) on a registry of the node's own: records and bytes in and out
 * per topic, GraphQL request latency by operation type, live subscriptions, bytes on disk per
 * topic, the free-space guard's view of the volume (read when scraped, so nothing is recomputed
 * on the produce path) and the event loop's delay as a histogram (event-loop-delay-metric.ts).
 * `close()` stops the event-loop sampling timer when the node stops.
 */
import { registerClusterMetrics, type ClusterMetricsView } from './cluster-metrics';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FreeSpaceState } from '../../storage/index';
import type { Broker, BrokerMetrics } from '../broker/index';
import { EventLoopDelayMetric } from './event-loop-delay-metric';

export class NodeMetrics implements BrokerMetrics {
  readonly registry = new Registry();
  private readonly recordsIn = new Counter({
    name: 'logway_records_in_total',
    help: 'Records produced',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly bytesIn = new Counter({
    name: 'logway_bytes_in_total',
    help: 'Record batch bytes appended',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly recordsOut = new Counter({
    name: 'logway_records_out_total',
    help: 'Records delivered to readers',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly bytesOut = new Counter({
    name: 'logway_bytes_out_total',
    help: 'Record batch bytes read for readers',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'logway_graphql_request_duration_seconds',
    help: 'GraphQL HTTP request latency',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Set by the WebSocket layer: how many subscriptions are live right now. */
  countSubscriptions: () => number = () => 0;
  private readonly activeSubscriptions: Gauge = new Gauge({
    name: 'logway_active_subscriptions',
    help: 'Live graphql-ws subscriptions',
    registers: [this.registry],
    collect: (): void => this.activeSubscriptions.set(this.countSubscriptions()),
  });
  readonly openConnections = new Gauge({
    name: 'logway_websocket_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  private readonly eventLoopDelay = new EventLoopDelayMetric(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'logway_process_' });
  }

  /** Stops what samples in the background (the event-loop delay timer). */
  close(): void {
    this.eventLoopDelay.close();
  }

  /** Registers gauges computed at scrape time from the broker's logs. */
  observeBroker(broker: Broker): void {
    new Gauge({
      name: 'logway_log_size_bytes',
      help: 'Bytes on disk per topic',
      labelNames: ['topic'],
      registers: [this.registry],
      collect() {
        this.reset();
        const byTopic = new Map<string, number>();
        for (const { topic, sizeBytes } of broker.logSizes()) byTopic.set(topic, (byTopic.get(topic) ?? 0) + sizeBytes);
        for (const [topic, sizeBytes] of byTopic) this.set({ topic }, sizeBytes);
      },
    });
  }

  /**
   * The free-space guard's view of the data dir's volume, read when scraped (null: guard off or no
   * statfs yet, and the gauges stay empty): free bytes as it counts them, its threshold, and
   * whether it is refusing produce now.
   */
  observeStorage(freeSpace: () => FreeSpaceState | null): void {
    const gauges = [
      {
        name: 'logway_storage_free_bytes',
        help: 'Free bytes on the data dir volume, as the free-space guard counts them',
        value: (s: FreeSpaceState) => s.freeBytes,
      },
      {
        name: 'logway_storage_min_free_bytes',
        help: 'Free bytes below which produce is refused',
        value: (s: FreeSpaceState) => s.minFreeBytes,
      },
      {
        name: 'logway_storage_refusing_produce',
        help: '1 while produce is refused for lack of disk space, else 0',
        value: (s: FreeSpaceState) => (s.refusing ? 1 : 0),
      },
    ];
    for (const { name, help, value } of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          const state = freeSpace();
          if (state) this.set(value(state));
        },
      });
    }
  }

  /** The cluster's metrics (cluster-metrics.ts): only on a node of a cluster. */
  observeCluster(view: ClusterMetricsView): void {
    registerClusterMetrics(this.registry, view);
  }

  /** Consumer lag per group and partition, computed when scraped from the coordinator's state. */
  observeGroups(broker: Broker): void {
    new Gauge({
      name: 'logway_consumer_group_lag',
      help: 'High watermark minus committed offset, per group and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const group of broker.listGroups()) {
          for (const o of group.offsets) this.set({ group: group.groupId, topic: o.topic, partition: String(o.partition) }, o.lag);
        }
      },
    });
    new Gauge({
      name: 'logway_consumer_group_members',
      help: 'Members per consumer group',
      labelNames: ['group', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const group of broker.listGroups()) this.set({ group: group.groupId, state: group.state }, group.members.length);
      },
    });
  }

  /** Open transactions (ONGOING or PREPARE_*) and the age of the oldest: a hanging one shows as a growing age. */
  observeTransactions(broker: Broker): void {
    new Gauge({
      name: 'logway_transactions_open',
      help: 'Transactions begun and not yet complete (ONGOING, PREPARE_COMMIT, PREPARE_ABORT)',
      registers: [this.registry],
      collect() {
        this.set(broker.transactions.openTransactionStats().open);
      },
    });
    new Gauge({
      name: 'logway_transaction_oldest_open_age_seconds',
      help: 'Age of the oldest open transaction (0 when none is open)',
      registers: [this.registry],
      collect() {
        this.set(broker.transactions.openTransactionStats().oldestAgeMs / 1000);
      },
    });
  }

  recordsProduced(topic: string, records: number, bytes: number): void {
    this.recordsIn.inc({ topic }, records);
    this.bytesIn.inc({ topic }, bytes);
  }

  recordsConsumed(topic: string, records: number, bytes: number): void {
    if (records === 0) return;
    this.recordsOut.inc({ topic }, records);
    this.bytesOut.inc({ topic }, bytes);
  }
}
