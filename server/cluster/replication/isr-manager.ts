/**
 * The leader's ISR changes (Kafka's Partition.maybeShrinkIsr / maybeExpandIsr and AlterPartition):
 * every half of `replica.lag.time.max.ms` it drops from each led partition's ISR the followers
 * that have not caught up for longer than that (Partition.laggingReplicas); after each follower
 * fetch it adds back a follower that reached the HW and this epoch's start
 * (Partition.canRejoinIsr, asked for the follower that fetched). A change goes to the control plane as a compare-and-swap on the
 * partition state's leader epoch and version (IsrChangeSink.alterIsr); the Partition applies
 * only the state stored after it (the new one, or the one that won the race), never its own
 * wish. One change per partition in flight at a time.
 */
import type { Logger } from 'pino';
import type { ScheduledTask, Scheduler } from '../../../storage/index';
import type { IsrChangeSink } from '../cluster-view';
import type { Partition } from '../partition';
import type { ReplicaManager } from '../replica-manager';

/** Kafka's default replica.lag.time.max.ms. */
export const DEFAULT_REPLICA_LAG_TIME_MAX_MS = 30_000;

export interface IsrChangeCounts {
  shrinks: number;
  expands: number;
}

export class IsrManager {
  private readonly inFlight = new Set<Partition>();
  private task: ScheduledTask | null = null;
  readonly counts: IsrChangeCounts = { shrinks: 0, expands: 0 };

  constructor(
    private readonly replicas: ReplicaManager,
    private readonly sink: IsrChangeSink,
    private readonly lagTimeMaxMs: number,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.task ??= this.scheduler.every(Math.max(1, Math.floor(this.lagTimeMaxMs / 2)), async () => this.shrinkLagging());
  }

  stop(): void {
    this.task?.cancel();
    this.task = null;
  }

  /** The periodic check, also callable directly (tests). */
  shrinkLagging(): void {
    for (const partition of this.replicas.leaderPartitions()) {
      const lagging = partition.laggingReplicas(this.lagTimeMaxMs);
      if (lagging.length === 0) continue;
      this.alter(
        partition,
        partition.isr.filter((id) => !lagging.includes(id)),
        'shrink',
      );
    }
  }

  /** After `replicaId`'s fetch was recorded on `partition`. */
  maybeExpand(partition: Partition, replicaId: number): void {
    if (partition.canRejoinIsr(replicaId))
      this.alter(
        partition,
        [...partition.isr, replicaId].sort((a, b) => a - b),
        'expand',
      );
  }

  private alter(partition: Partition, isr: number[], kind: 'shrink' | 'expand'): void {
    if (this.inFlight.has(partition)) return;
    const state = this.replicas.stateOf(partition.topic, partition.partition);
    if (!state || state.leaderEpoch !== partition.leaderEpoch) return; // no stored state to CAS against (the embedded node)
    this.inFlight.add(partition);
    partition.beginIsrChange(isr); // the HW counts a joining member from now on (Partition.maximalIsr)
    const { topic, partition: id } = partition;
    void this.sink
      .alterIsr(topic, id, state.leaderEpoch, isr, state.version)
      .then(async (result) => {
        if (result.applied) {
          if (kind === 'shrink') this.counts.shrinks++;
          else this.counts.expands++;
          this.logger.info({ topic, partition: id, from: state.isr, to: result.state.isr, leaderEpoch: state.leaderEpoch }, `ISR ${kind}`);
        }
        if (result.state) await this.replicas.becomeLeaderOrFollower([result.state]);
      })
      .catch((error: unknown) => this.logger.warn({ err: error, topic, partition: id }, `ISR ${kind} failed; retried on the next check`))
      .finally(() => {
        this.inFlight.delete(partition);
        partition.endIsrChange();
      });
  }
}
