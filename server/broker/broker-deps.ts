/**
 * What the broker's use cases share: the catalog, the node's logs, the clock and scheduler (the
 * only sources of time and timers: ManualClock/ManualScheduler in tests), the live topic registry
 * and the hooks for metrics and logs. Built once by createBroker().
 */
import type { Clock, LogManager, Scheduler } from '../../storage/index';
import type { Catalog } from '../catalog/catalog';
import type { ClusterMembership } from '../cluster/cluster-membership';
import type { ReplicaManager } from '../cluster/replica-manager';
import type { Limits } from '../config';
import type { StickyPartitioner } from './partitioner';
import type { ProducerSequencer } from './producer-sequencer';
import type { TopicRegistry } from './topic-registry';
import type { TransactionCoordinator } from '../coordinators/transactions/transaction-coordinator';

/** Counters the broker reports; server/http/metrics implements them with prom-client. */
export interface BrokerMetrics {
  recordsProduced(topic: string, records: number, bytes: number): void;
  /** `group`: set when the reader is a consumer-group member (the console's consume rate counts those). */
  recordsConsumed(topic: string, records: number, bytes: number, group?: string): void;
}

export interface BrokerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const NO_METRICS: BrokerMetrics = {
  recordsProduced: () => undefined,
  recordsConsumed: () => undefined,
};

export interface BrokerDeps {
  readonly nodeId: number;
  readonly catalog: Catalog;
  readonly logs: LogManager;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly limits: Limits;
  readonly registry: TopicRegistry;
  /** The cluster as this node sees it (its id, live nodes, the controller's assignments). */
  readonly cluster: ClusterMembership;
  /** This node's Partitions: replica state and the high watermark; produce appends through them. */
  readonly replicas: ReplicaManager;
  readonly sticky: StickyPartitioner;
  /** Orders idempotent producers' calls by sequence (producer-sequencer.ts). */
  readonly producers: ProducerSequencer;
  readonly metrics: BrokerMetrics;
  readonly logger: BrokerLogger;
  /** Failures no request is waiting for (acks NONE appends, maintenance): the node decides whether to stop. */
  readonly onBackgroundError: (error: unknown) => void;
  /** Transactional producers' state, begin/commit/abort and the admission of their produce calls. */
  readonly transactions: TransactionCoordinator;
}
