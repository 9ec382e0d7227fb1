/**
 * The produce use case goes through the Partition, and acks LEADER and ALL are distinct paths:
 * with a simulated second in-sync replica (its log end offset reported by the test, as the
 * replica fetcher will), LEADER answers after the leader's append, ALL only once the ISR has the
 * records, and ALL is refused before writing when the ISR is below min.insync.replicas.
 * Real log, real catalog; the topic runtime is assembled here as the topic use cases would.
 */
import path from 'node:path';
import { SystemClock, type LogManager, type PartitionLog } from '../../../storage';
import type { BrokerDeps } from '../../../server/broker/broker-deps';
import { ChangeSignal } from '../../../server/broker/change-signal';
import { produce } from '../../../server/broker/produce';
import { parseTopicConfig } from '../../../server/broker/topic-config';
import { TopicRegistry } from '../../../server/broker/topic-registry';
import type { Catalog } from '../../../server/catalog/catalog';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import type { Partition, ReplicaAssignment } from '../../../server/cluster/partition';
import { ReplicaManager } from '../../../server/cluster/replica-manager';
import type { ProduceRequest } from '../../../server/broker/types';
import { brokerDeps } from '../../support/broker-fixture';
import { openTestLog } from '../../support/log-builders';
import { makeTmpDir, removeTmpDir } from '../../support/tmp-dir';

const IN_SYNC: ReplicaAssignment = { leaderId: 0, leaderEpoch: 0, replicas: [0, 1], isr: [0, 1] };

let dir: string;
let manager: LogManager;
let log: PartitionLog;
let catalog: Catalog;

beforeEach(async () => {
  dir = makeTmpDir();
  ({ manager, log } = await openTestLog(path.join(dir, 'logs')));
  catalog = await openCatalog({ databaseFile: path.join(dir, 'catalog.db') });
});
afterEach(async () => {
  await manager.close();
  await catalog.close();
  removeTmpDir(dir);
});

async function twoReplicaTopic(assignment: ReplicaAssignment): Promise<{ deps: BrokerDeps; replica: Partition }> {
  const replicas = new ReplicaManager(0);
  const replica = replicas.add(log, assignment);
  const registry = new TopicRegistry();
  registry.add({
    record: {
      topicId: 't-1',
      name: 'events',
      internal: false,
      partitionCount: 1,
      replicationFactor: 2,
      configs: { 'min.insync.replicas': '2' },
      createdAtMs: 0,
    },
    config: parseTopicConfig({ 'min.insync.replicas': '2' }, 2),
    partitions: [{ topic: 'events', partition: 0, log, replica, changed: new ChangeSignal() }],
    changed: new ChangeSignal(),
  });
  const deps: BrokerDeps = { ...(await brokerDeps({ catalog, logs: manager, clock: new SystemClock() })), registry, replicas };
  return { deps, replica };
}

function request(acks: ProduceRequest['acks'], count = 2): ProduceRequest {
  const records = Array.from({ length: count }, (_, i) => ({
    partition: 0,
    key: null,
    value: Buffer.from(`v${i}`),
    headers: [],
    timestampMs: null,
  }));
  return { topic: 'events', acks, records };
}

async function settled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(pending)))])) !== pending;
}

describe('produce through the Partition', () => {
  it('acks LEADER answers after the leader appended, before the follower has the records', async () => {
    const { deps, replica } = await twoReplicaTopic(IN_SYNC);
    const outcome = await produce(deps, request('LEADER'));
    expect(outcome.records.map((r) => r.offset)).toEqual([0, 1]);
    expect(replica.logEndOffset).toBe(2);
    expect(replica.highWatermark).toBe(0);
  });

  it('acks ALL answers only once the in-sync follower has the records', async () => {
    const { deps, replica } = await twoReplicaTopic(IN_SYNC);
    const answered = produce(deps, request('ALL'));
    // A LEADER produce queued behind it answers once its own append, after the first one, is durable.
    expect((await produce(deps, request('LEADER', 1))).records.map((r) => r.offset)).toEqual([2]);
    expect(await settled(answered)).toBe(false);
    replica.updateFollowerLogEndOffset(1, 2);
    expect((await answered).records.map((r) => r.offset)).toEqual([0, 1]);
    expect(replica.highWatermark).toBe(2);
  });

  it('acks ALL is refused before writing when the ISR is below min.insync.replicas; LEADER is not', async () => {
    const { deps, replica } = await twoReplicaTopic({ ...IN_SYNC, isr: [0] });
    await expect(produce(deps, request('ALL'))).rejects.toMatchObject({
      code: 'NOT_ENOUGH_REPLICAS',
      details: { isrCount: 1, minInsyncReplicas: 2 },
    });
    expect(replica.logEndOffset).toBe(0);
    await produce(deps, request('LEADER'));
    expect(replica.logEndOffset).toBe(2);
  });
});
