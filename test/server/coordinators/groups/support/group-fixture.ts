/**
 * A coordinator on a real temp-dir SQLite catalog, a ManualClock and an in-memory log view
 * (topics with settable watermarks and record timestamps). The log view stands in for the
 * LogManager, which the coordinator only asks for partition counts, watermarks and timestamps;
 * the catalog is the real one, because persistence is what these tests check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../../../../server/catalog/catalog';
import { openCatalog } from '../../../../../server/catalog/prisma-catalog';
import {
  GroupCoordinator,
  type GroupCoordinatorConfig,
  type GroupLogView,
  type MemberEvent,
  type PartitionWatermarks,
} from '../../../../../server/coordinators/groups';
import { ManualClock } from '../../../../../storage/io/clock';

export class TestLogView implements GroupLogView {
  private readonly topics = new Map<string, PartitionWatermarks[]>();
  /** Record timestamp = baseTimestampMs + offset × 1,000 (one record per second). */
  baseTimestampMs = 1_700_000_000_000;

  addTopic(name: string, partitionCount: number, highWatermark = 100): void {
    this.topics.set(
      name,
      Array.from({ length: partitionCount }, () => ({ logStartOffset: 0, highWatermark })),
    );
  }
  removeTopic(name: string): void {
    this.topics.delete(name);
  }
  setWatermarks(topic: string, partition: number, watermarks: PartitionWatermarks): void {
    this.topics.get(topic)![partition] = watermarks;
  }
  partitionCount(topic: string): number | null {
    return this.topics.get(topic)?.length ?? null;
  }
  watermarks(topic: string, partition: number): PartitionWatermarks | null {
    return this.topics.get(topic)?.[partition] ?? null;
  }
  async offsetForTimestamp(topic: string, partition: number, timestampMs: number): Promise<number | null> {
    const w = this.watermarks(topic, partition);
    if (!w) return null;
    const offset = Math.max(w.logStartOffset, Math.ceil((timestampMs - this.baseTimestampMs) / 1_000));
    return offset < w.highWatermark ? offset : null;
  }
  async timestampAt(_topic: string, _partition: number, offset: number): Promise<number | null> {
    return this.baseTimestampMs + offset * 1_000;
  }
}

export interface GroupFixture {
  readonly catalog: Catalog;
  readonly log: TestLogView;
  readonly clock: ManualClock;
  coordinator: GroupCoordinator;
  readonly databaseFile: string;
  /** Creates the topic in the catalog (committed offsets reference it) and in the log view. */
  addTopic(name: string, partitionCount: number, highWatermark?: number): Promise<void>;
  /** Closes coordinator and catalog and opens both again on the same file. */
  restart(): Promise<void>;
  /** Advances the clock and runs one tick. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export const TEST_GROUP_CONFIG: Partial<GroupCoordinatorConfig> = {
  minSessionTimeoutMs: 1_000,
  defaultSessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
};

export async function openGroupFixture(config: Partial<GroupCoordinatorConfig> = TEST_GROUP_CONFIG): Promise<GroupFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'logway-groups-'));
  const databaseFile = join(dir, 'catalog.db');
  const log = new TestLogView();
  const clock = new ManualClock();
  let catalog: Catalog = await openCatalog({ databaseFile });
  const fixture: GroupFixture = {
    get catalog() {
      return catalog;
    },
    log,
    clock,
    coordinator: await GroupCoordinator.open({ catalog, log, clock, config }),
    databaseFile,
    async addTopic(name, partitionCount, highWatermark = 100) {
      const partitions = Array.from({ length: partitionCount }, (_, partition) => ({
        topic: name,
        partition,
        leaderId: 1,
        leaderEpoch: 0,
        replicas: [1],
        isr: [1],
      }));
      await catalog.createTopic({ name, internal: false, partitionCount, replicationFactor: 1, configs: {} }, partitions);
      log.addTopic(name, partitionCount, highWatermark);
    },
    async restart() {
      await fixture.coordinator.close();
      await catalog.close();
      catalog = await openCatalog({ databaseFile });
      fixture.coordinator = await GroupCoordinator.open({ catalog, log, clock, config });
    },
    async advance(ms) {
      clock.advance(ms);
      await fixture.coordinator.tick();
    },
    async close() {
      await fixture.coordinator.close();
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Records a member's events; `acknowledgeAll` acts like a well-behaved gateway. */
export class MemberProbe {
  readonly events: MemberEvent[] = [];
  readonly unsubscribe: () => void;

  constructor(
    private readonly coordinator: () => GroupCoordinator,
    readonly groupId: string,
    readonly memberId: string,
  ) {
    this.unsubscribe = coordinator().onMemberEvent(groupId, memberId, (event) => this.events.push(event));
  }

  lastOf<T extends MemberEvent['type']>(type: T): Extract<MemberEvent, { type: T }> | undefined {
    return [...this.events].reverse().find((e): e is Extract<MemberEvent, { type: T }> => e.type === type);
  }

  /** Acknowledges the member's current generation (what the gateway does after acting on an event). */
  async acknowledge(): Promise<void> {
    const { generationId } = this.coordinator().memberAssignment(this.groupId, this.memberId);
    await this.coordinator().acknowledge(this.groupId, this.memberId, generationId);
  }
}

/** "topic-partition" labels of a member's owned partitions, sorted. */
export function labels(list: readonly { topic: string; partition: number }[]): string[] {
  return list.map((tp) => `${tp.topic}-${tp.partition}`).sort();
}

/** Acknowledges every member that owes an acknowledgement until the group is Stable (≤ 10 rounds). */
export async function settle(coordinator: GroupCoordinator, groupId: string): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const description = coordinator.describe(groupId);
    if (description.state === 'Stable' || description.state === 'Empty') return;
    for (const member of description.members) {
      if (member.awaitingAck || member.revoking.length > 0) {
        await coordinator.acknowledge(groupId, member.memberId, member.generationId);
      }
    }
  }
  throw new Error(`group ${groupId} did not settle: ${JSON.stringify(coordinator.describe(groupId).stateDetail)}`);
}

/** Throws unless no partition is held (owned or revoking) by two members. */
export function assertSingleOwners(coordinator: GroupCoordinator, groupId: string): void {
  const holders = new Map<string, string>();
  for (const member of coordinator.describe(groupId).members) {
    for (const tp of [...member.assignment, ...member.revoking]) {
      const key = `${tp.topic}-${tp.partition}`;
      if (holders.has(key)) throw new Error(`${key} held by ${holders.get(key)} and ${member.memberId}`);
      holders.set(key, member.memberId);
    }
  }
}
