/**
 * The broker's side of consumer groups: builds the GroupCoordinator over this node's topics (a
 * GroupLogView reading partition counts and watermarks from the registry), drives its time with
 * one shared interval (session expiry, auto-commit, and heartbeats for the live subscriptions that
 * are members — a subscription heartbeats while its socket is open), and turns the coordinator's
 * descriptions into the broker's ConsumerGroupView.
 *
 * Lag of a READ_COMMITTED group is measured to the last stable offset (docs/GRAPHQL-API.md): a
 * group reads committed when the member that joined it last subscribed or polled with
 * `isolation: READ_COMMITTED` (Kafka's isolation.level is a consumer setting too). Kept in memory:
 * after a restart a group counts as READ_UNCOMMITTED until a member joins again.
 */
import type { ScheduledTask } from '../../storage/index';
import type { Catalog } from '../catalog/catalog';
import type { BrokerDeps } from './broker-deps';
import { decodeRecordBatch } from '../../storage/index';
import { GroupCoordinator, type GroupCoordinatorConfig, type GroupLogView } from '../coordinators/groups/index';
import { readLimit } from './read-limit';
import type { ConsumerGroupView, Isolation } from './types';

/** How often group time moves on (expiry checks, auto-commit, member heartbeats). */
export const GROUP_TICK_INTERVAL_MS = 1_000;

export class ConsumerGroups {
  /** Heartbeats owed by live member streams, run on every tick. */
  private readonly liveMembers = new Set<{ groupId: string; memberId: string; connectionId: number }>();
  private ticking: ScheduledTask | null = null;
  /** Groups whose latest member reads READ_COMMITTED (absent: READ_UNCOMMITTED). */
  private readonly readCommitted = new Set<string>();

  private constructor(
    readonly coordinator: GroupCoordinator,
    private readonly deps: BrokerDeps,
  ) {}

  static async open(deps: BrokerDeps, catalog: Catalog, config?: Partial<GroupCoordinatorConfig>): Promise<ConsumerGroups> {
    const coordinator = await GroupCoordinator.open({ catalog, log: logView(deps), clock: deps.clock, config, logger: deps.logger });
    return new ConsumerGroups(coordinator, deps);
  }

  start(intervalMs = GROUP_TICK_INTERVAL_MS): void {
    // The scheduler's timers are unref'd and a slow tick skips the next rather than overlapping it.
    this.ticking = this.deps.scheduler.every(intervalMs, () =>
      this.tick().catch((error: unknown) => this.deps.logger.error({ err: error }, 'group maintenance failed')),
    );
  }

  /**
   * Heartbeats first, then expiry, in one go: after the event loop was blocked for longer than a
   * session timeout, a member whose socket is open is heartbeated before anything can expire it.
   */
  async tick(): Promise<void> {
    for (const member of this.liveMembers) {
      try {
        this.coordinator.heartbeat(member.groupId, member.memberId, member.connectionId);
      } catch {
        this.liveMembers.delete(member); // fenced, gone or taken over: its stream learns through its member events
      }
    }
    await this.coordinator.tick();
  }

  /**
   * Keeps a member alive for as long as the returned function has not been called and this
   * connection (`connectionId` from join) holds it: never the static member a new connection took over.
   */
  keepAlive(groupId: string, memberId: string, connectionId: number): () => void {
    const entry = { groupId, memberId, connectionId };
    this.liveMembers.add(entry);
    return () => this.liveMembers.delete(entry);
  }

  /** A member joined `groupId` reading with `isolation`: the group's lag is measured to that isolation's limit. */
  noteIsolation(groupId: string, isolation: Isolation): void {
    if (isolation === 'READ_COMMITTED') this.readCommitted.add(groupId);
    else this.readCommitted.delete(groupId);
  }

  describe(groupId: string): ConsumerGroupView | null {
    if (!this.coordinator.hasGroup(groupId)) return null;
    return this.view(groupId);
  }

  list(): ConsumerGroupView[] {
    return this.coordinator.listGroups().map((g) => this.view(g.groupId));
  }

  view(groupId: string): ConsumerGroupView {
    const description = this.coordinator.describe(groupId);
    const lag = this.readCommitted.has(groupId) ? this.lagToLastStable(this.coordinator.lag(groupId)) : this.coordinator.lag(groupId);
    return {
      groupId,
      state: description.state,
      generation: description.generationId,
      protocolType: description.protocolType,
      protocol: description.protocol,
      members: description.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        host: m.host,
        connected: m.connected,
        sessionTimeoutMs: m.sessionTimeoutMs,
        heartbeatAgeMs: m.heartbeatAgeMs,
        generation: m.generationId,
        autoCommit: m.autoCommit,
        assignment: byTopic(m.assignment),
        paused: byTopic(m.paused),
      })),
      offsets: lag.partitions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        committedOffset: p.committedOffset,
        metadata: p.metadata,
        commitTimeMs: p.commitTimeMs,
        logStartOffset: p.logStartOffset,
        logEndOffset: this.deps.registry.get(p.topic)?.partitions[p.partition]?.log.logEndOffset ?? p.highWatermark,
        highWatermark: p.highWatermark,
        lag: p.lag,
      })),
      totalLag: lag.totalLag,
    };
  }

  /** The coordinator's lag (to the high watermark) re-measured to each partition's last stable offset. */
  private lagToLastStable(lag: ReturnType<GroupCoordinator['lag']>): ReturnType<GroupCoordinator['lag']> {
    const partitions = lag.partitions.map((p) => {
      const runtime = this.deps.registry.get(p.topic)?.partitions[p.partition];
      if (!runtime) return p;
      return { ...p, lag: Math.max(0, readLimit(runtime.replica, 'READ_COMMITTED') - (p.committedOffset ?? p.logStartOffset)) };
    });
    return { ...lag, partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0) };
  }

  /**
   * Aligned with `topics`: the groups reading each one — a member subscribed to it, or a committed
   * offset on it (an Empty group that will resume there) — sorted by id. One pass over all groups.
   */
  readingTopics(topics: readonly string[]): ConsumerGroupView[][] {
    const wanted = new Set(topics);
    const byTopic = new Map<string, ConsumerGroupView[]>();
    for (const description of this.coordinator.listGroups()) {
      const reads = new Set(description.members.flatMap((m) => m.topics).filter((t) => wanted.has(t)));
      const view = this.view(description.groupId);
      for (const o of view.offsets) if (o.committedOffset !== null && wanted.has(o.topic)) reads.add(o.topic);
      for (const topic of reads) byTopic.set(topic, [...(byTopic.get(topic) ?? []), view]);
    }
    return topics.map((topic) => byTopic.get(topic) ?? []);
  }

  async close(): Promise<void> {
    this.ticking?.cancel();
    this.liveMembers.clear();
    await this.coordinator.close();
  }
}

function byTopic(partitions: readonly { topic: string; partition: number }[]): { topic: string; partitions: number[] }[] {
  const map = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = map.get(topic) ?? [];
    list.push(partition);
    map.set(topic, list);
  }
  return [...map.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, list]) => ({ topic, partitions: list.sort((a, b) => a - b) }));
}

/**
 * The coordinator's window on the logs: counts and watermarks from memory, timestamps from the
 * log. Its "high watermark" (lag, commit bounds, resets to LATEST) is the read limit of a
 * READ_UNCOMMITTED reader, as Kafka's admin client lists offsets.
 */
function logView(deps: BrokerDeps): GroupLogView {
  const partition = (topic: string, p: number) => deps.registry.get(topic)?.partitions[p];
  return {
    partitionCount: (topic) => deps.registry.get(topic)?.partitions.length ?? null,
    watermarks: (topic, p) => {
      const runtime = partition(topic, p);
      return runtime ? { logStartOffset: runtime.log.logStartOffset, highWatermark: readLimit(runtime.replica, 'READ_UNCOMMITTED') } : null;
    },
    offsetForTimestamp: async (topic, p, timestampMs) => (await partition(topic, p)?.log.offsetForTimestamp(timestampMs)) ?? null,
    timestampAt: async (topic, p, offset) => {
      const runtime = partition(topic, p);
      const limit = runtime ? readLimit(runtime.replica, 'READ_UNCOMMITTED') : 0;
      if (!runtime || offset >= limit || offset < runtime.log.logStartOffset) return null;
      const [batch] = await runtime.log.read(offset, { maxBytes: 1, maxOffset: limit });
      if (!batch) return null;
      const record = decodeRecordBatch(batch.bytes).records.find((r) => r.offset >= offset);
      return record?.timestampMs ?? null;
    },
  };
}
