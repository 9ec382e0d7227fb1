/**
 * The controller's jobs against a real etcd: it places a topic request over the live members,
 * elects a new leader from the ISR (epoch + 1) when a member key goes, and a controller whose
 * epoch is no longer the controller key's create revision changes nothing (fenced in the same
 * transaction).
 */
import { Etcd3 } from 'etcd3';
import pino from 'pino';
import { ClusterState } from '../../../../server/cluster/etcd/cluster-state';
import { Controller } from '../../../../server/cluster/etcd/controller';
import { ClusterKeys } from '../../../../server/cluster/etcd/etcd-keys';
import { MemberDirectory } from '../../../../server/cluster/etcd/member-directory';
import { PrefixMirror } from '../../../../server/cluster/etcd/prefix-mirror';
import { startEtcd, type EtcdProcess } from '../../../support/cluster/etcd-process';

jest.setTimeout(60_000);

const member = (nodeId: number) => JSON.stringify({ nodeId, host: '127.0.0.1', port: 1, clusterPort: 2, rack: null, startedAt: 0 });

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Controller', () => {
  let etcd: EtcdProcess;
  let client: Etcd3;
  const mirrors: PrefixMirror[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
    client = new Etcd3({ hosts: etcd.url });
  });

  afterAll(async () => {
    for (const mirror of mirrors) await mirror.close();
    client?.close();
    await etcd?.stop();
  });

  async function controllerOn(keys: ClusterKeys): Promise<{ controller: Controller; members: MemberDirectory }> {
    const logger = pino({ level: 'silent' });
    const [members, topics, partitions] = [
      await PrefixMirror.open(client, keys.membersPrefix, () => undefined),
      await PrefixMirror.open(client, keys.topicsPrefix, () => undefined),
      await PrefixMirror.open(client, keys.partitionsPrefix, () => undefined),
    ];
    mirrors.push(members, topics, partitions);
    const directory = new MemberDirectory(members, keys, logger);
    return {
      controller: new Controller(client, keys, new ClusterState(topics, partitions, keys, logger), directory, logger),
      members: directory,
    };
  }

  const stateOf = async (keys: ClusterKeys, topic: string, partition: number) => {
    const value = await client.get(keys.partition(topic, partition)).string();
    return value === null ? undefined : JSON.parse(value);
  };

  it('places topics and elects from the ISR on a member loss; a stale controller epoch writes nothing', async () => {
    const keys = new ClusterKeys('ctl');
    for (const id of [1, 2, 3]) await client.put(keys.member(id)).value(member(id));
    const { controller, members } = await controllerOn(keys);
    await client.put(keys.controller).value(JSON.stringify({ nodeId: 1 }));
    const epoch = Number((await client.get(keys.controller).exec()).kvs[0]!.create_revision);
    controller.elected(epoch);

    await client
      .put(keys.topic('t'))
      .value(JSON.stringify({ topicId: 'id-t', partitions: 3, replicationFactor: 3, configs: {}, createdAtMs: 0 }));
    const placed = await eventually(async () => {
      const states = await Promise.all([0, 1, 2].map((p) => stateOf(keys, 't', p)));
      return states.every(Boolean) ? states : undefined;
    }, 'the placement');
    for (const s of placed)
      expect(s).toEqual({ leaderId: s.replicas[0], leaderEpoch: 0, replicas: expect.arrayContaining([1, 2, 3]), isr: s.replicas });
    expect(new Set(placed.map((s) => s.leaderId)).size).toBe(3);

    const ledBy2 = placed.findIndex((s) => s.leaderId === 2);
    await client.delete().key(keys.member(2));
    const after = await eventually(async () => {
      const s = await stateOf(keys, 't', ledBy2);
      return s.leaderId !== 2 ? s : undefined;
    }, 'a new leader');
    expect(after).toMatchObject({ leaderEpoch: 1, isr: placed[ledBy2].isr.filter((id: number) => id !== 2) });
    expect(after.isr).toContain(after.leaderId);
    for (const p of [0, 1, 2]) expect((await stateOf(keys, 't', p)).isr).not.toContain(2);

    // The controller key is made again (another election): this controller's epoch is stale.
    await client.delete().key(keys.controller);
    await client.put(keys.controller).value(JSON.stringify({ nodeId: 3 }));
    const before = await Promise.all([0, 1, 2].map((p) => stateOf(keys, 't', p)));
    await client.delete().key(keys.member(3));
    await eventually(async () => (members.isLive(3) ? undefined : true), 'the stale controller to hear of the loss');
    await controller.idle();
    expect(await Promise.all([0, 1, 2].map((p) => stateOf(keys, 't', p)))).toEqual(before);
    // A controller with the current epoch does the same job.
    await client
      .put(keys.topic('u'))
      .value(JSON.stringify({ topicId: 'id-u', partitions: 1, replicationFactor: 1, configs: {}, createdAtMs: 0 }));
    const { controller: current } = await controllerOn(keys);
    current.elected(Number((await client.get(keys.controller).exec()).kvs[0]!.create_revision));
    await eventually(async () => stateOf(keys, 'u', 0), 'the current controller to place u');
    await eventually(
      async () => ((await stateOf(keys, 't', 0)).isr.includes(3) ? undefined : true),
      'the current controller to shrink 3 out',
    );
  });
});
