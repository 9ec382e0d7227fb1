/** Replica placement: spread, rack-aware, refused above the live node count. */
import { placeReplicas, rackAlternating } from '../../../../server/cluster/etcd/placement';

const nodes = (ids: number[], racks: (string | null)[] = []) => ids.map((nodeId, i) => ({ nodeId, rack: racks[i] ?? null }));

describe('placeReplicas', () => {
  it('gives each partition distinct replicas and spreads the leaders over the nodes', () => {
    const replicas = placeReplicas('orders', 6, 3, nodes([3, 1, 2]));
    for (const r of replicas) expect(new Set(r).size).toBe(3);
    const leaders = replicas.map((r) => r[0]);
    expect([1, 2, 3].map((id) => leaders.filter((l) => l === id).length)).toEqual([2, 2, 2]);
  });

  it('puts the replicas of every partition in as many racks as there are', () => {
    const live = nodes([1, 2, 3, 4, 5, 6], ['a', 'a', 'b', 'b', 'c', 'c']);
    const rackOf = new Map(live.map((n) => [n.nodeId, n.rack]));
    for (const r of placeReplicas('t', 12, 3, live)) expect(new Set(r.map((id) => rackOf.get(id))).size).toBe(3);
    for (const r of placeReplicas('t', 12, 2, live)) expect(new Set(r.map((id) => rackOf.get(id))).size).toBe(2);
  });

  it('alternates racks even when they are uneven', () => {
    expect(rackAlternating(nodes([1, 2, 3, 4], ['a', 'a', 'a', 'b']))).toEqual([1, 4, 2, 3]);
  });

  it('refuses a replication factor above the live node count, or below 1', () => {
    expect(() => placeReplicas('t', 1, 4, nodes([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'INVALID_REPLICATION_FACTOR' }));
    expect(() => placeReplicas('t', 1, 0, nodes([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'INVALID_REPLICATION_FACTOR' }));
  });
});
