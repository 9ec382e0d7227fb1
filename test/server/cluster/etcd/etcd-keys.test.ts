/** The control plane's keys and values (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"): strict parsing, unknown fields ignored. */
import { ClusterKeys, parseAssignment, parseMember, parseTopic } from '../../../../server/cluster/etcd/etcd-keys';

describe('cluster keys', () => {
  const keys = new ClusterKeys('logway');

  it('lays the keys out under /<cluster-id>/ and reads them back', () => {
    expect(keys.member(3)).toBe('/logway/members/3');
    expect(keys.partition('a.b', 7)).toBe('/logway/partitions/a.b/7');
    expect(keys.memberIdOf('/logway/members/3')).toBe(3);
    expect(keys.memberIdOf('/logway/members/x')).toBeNull();
    expect(keys.partitionOf('/logway/partitions/a.b/7')).toEqual(['a.b', 7]);
    expect(keys.partitionOf('/logway/partitions/7')).toBeNull();
    expect(keys.topicOf('/logway/topics/orders')).toBe('orders');
  });

  it('parses values strictly and ignores unknown fields', () => {
    expect(parseMember('{"nodeId":1,"host":"h","port":1,"clusterPort":2,"rack":null,"startedAt":5,"later":true}')).toEqual({
      nodeId: 1,
      host: 'h',
      port: 1,
      clusterPort: 2,
      rack: null,
      startedAt: 5,
    });
    expect(parseMember('{"nodeId":1,"host":"h","port":1,"startedAt":5}')).toBeNull();
    expect(parseAssignment('{"leaderId":null,"leaderEpoch":0,"replicas":[1],"isr":[1]}')).toEqual({
      leaderId: null,
      leaderEpoch: 0,
      replicas: [1],
      isr: [1],
    });
    expect(parseAssignment('{"leaderId":1,"leaderEpoch":-1,"replicas":[1],"isr":[1]}')).toBeNull();
    expect(parseAssignment('not json')).toBeNull();
    expect(parseTopic('{"topicId":"x","partitions":0,"replicationFactor":1,"configs":{},"createdAtMs":1}')).toBeNull();
    expect(parseTopic('{"topicId":"x","partitions":2,"replicationFactor":1,"configs":{"a":"b"},"createdAtMs":1}')).toEqual({
      topicId: 'x',
      partitions: 2,
      replicationFactor: 1,
      configs: { a: 'b' },
      createdAtMs: 1,
    });
  });
});
