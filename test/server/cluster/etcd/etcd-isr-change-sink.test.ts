/**
 * AlterIsr through a real etcd (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"): applied only at
 * the version and leader epoch the leader read and only for the leader; otherwise refused with
 * the stored state, and the stored value is untouched.
 */
import { Etcd3 } from 'etcd3';
import pino from 'pino';
import { ClusterState } from '../../../../server/cluster/etcd/cluster-state';
import { EtcdIsrChangeSink } from '../../../../server/cluster/etcd/etcd-isr-change-sink';
import { ClusterKeys } from '../../../../server/cluster/etcd/etcd-keys';
import { PrefixMirror } from '../../../../server/cluster/etcd/prefix-mirror';
import { startEtcd, type EtcdProcess } from '../../../support/cluster/etcd-process';

jest.setTimeout(60_000);

describe('EtcdIsrChangeSink', () => {
  let etcd: EtcdProcess;
  let client: Etcd3;
  const keys = new ClusterKeys('sink');
  const logger = pino({ level: 'silent' });
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

  async function stored(): Promise<{ value: unknown; mod: number }> {
    const response = await client.get(keys.partition('t', 0)).exec();
    return { value: JSON.parse(response.kvs[0]!.value.toString()), mod: Number(response.kvs[0]!.mod_revision) };
  }

  it('applies a change at the version and epoch read, and refuses a stale version, epoch or leader', async () => {
    await client.put(keys.partition('t', 0)).value(JSON.stringify({ leaderId: 1, leaderEpoch: 3, replicas: [1, 2, 3], isr: [1, 2, 3] }));
    mirrors.push(
      await PrefixMirror.open(client, keys.topicsPrefix, () => undefined),
      await PrefixMirror.open(client, keys.partitionsPrefix, () => undefined),
    );
    const state = new ClusterState(mirrors[0]!, mirrors[1]!, keys, logger);
    const sink = new EtcdIsrChangeSink(client, keys, state, 1);
    const first = await stored();

    const shrunk = await sink.alterIsr('t', 0, 3, [1, 2], first.mod);
    expect(shrunk).toMatchObject({ applied: true, state: { leaderId: 1, leaderEpoch: 3, isr: [1, 2] } });
    const second = await stored();
    expect(second.value).toEqual({ leaderId: 1, leaderEpoch: 3, replicas: [1, 2, 3], isr: [1, 2] });
    expect(shrunk.state!.version).toBe(second.mod);

    // The version moved: the old request is refused with what is stored now.
    expect(await sink.alterIsr('t', 0, 3, [1], first.mod)).toEqual({
      applied: false,
      state: expect.objectContaining({ isr: [1, 2], version: second.mod }),
    });
    // Another epoch than the stored one, or a node that does not lead: refused.
    expect((await sink.alterIsr('t', 0, 2, [1], second.mod)).applied).toBe(false);
    expect((await new EtcdIsrChangeSink(client, keys, state, 2).alterIsr('t', 0, 3, [2], second.mod)).applied).toBe(false);

    // A controller's election (new epoch) fences the deposed leader's request at the version it had.
    await client.put(keys.partition('t', 0)).value(JSON.stringify({ leaderId: 2, leaderEpoch: 4, replicas: [1, 2, 3], isr: [2] }));
    const refused = await sink.alterIsr('t', 0, 3, [1, 2, 3], second.mod);
    expect(refused).toEqual({ applied: false, state: expect.objectContaining({ leaderId: 2, leaderEpoch: 4, isr: [2] }) });
    expect((await stored()).value).toEqual({ leaderId: 2, leaderEpoch: 4, replicas: [1, 2, 3], isr: [2] });
    expect(await sink.alterIsr('t', 1, 0, [1], 1)).toEqual({ applied: false, state: null });
  });
});
