/**
 * Leader loss on a real 3-node cluster (RELIABILITY R1, R12 in part): kill -9 the leader of a
 * replicationFactor 3 partition after acks ALL produces; the controller elects a new leader from
 * the ISR with a higher epoch; every acknowledged record is readable from it; the old node
 * restarts on its data dir, catches up as a follower and is back in the ISR. Bounded waits only.
 */
import { TestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

const PRODUCE = `mutation($v: [RecordInput!]!) { produce(input: { topic: "events", acks: ALL, records: $v }) { records { offset } } }`;

function batch(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ value: `v${from + i}`, partition: 0 }));
}

describe('leader kill -9', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start(3);
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('elects a new leader from the ISR with a higher epoch, keeps every acknowledged record, and the old leader rejoins the ISR', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "events", partitions: 1, replicationFactor: 3 }) { name } }`);
    const before = await cluster.waitFor('a leader with the full ISR', async () => {
      const p = await cluster.partition(1, 'events');
      return p && p.leader !== null && p.isr.length === 3 ? p : undefined;
    });
    const oldLeader = before.leader!;
    const acked: string[] = [];
    for (let round = 0; round < 5; round++) {
      const records = batch(acked.length, 20);
      await cluster.ok(oldLeader, PRODUCE, { v: records });
      acked.push(...records.map((r) => r.value));
    }

    await cluster.kill9(oldLeader);
    const survivors = [1, 2, 3].filter((id) => id !== oldLeader);
    const after = await cluster.waitFor('a new leader', async () => {
      const p = await cluster.partition(survivors[0]!, 'events');
      return p && p.leader !== null && p.leader !== oldLeader ? p : undefined;
    });
    expect(survivors).toContain(after.leader);
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    expect(after.isr).not.toContain(oldLeader);
    const newLeader = after.leader!;

    const page = await cluster.ok(newLeader, `{ records(topic: "events", partition: 0, offset: 0, limit: 1000) { records { offset value } } }`);
    expect(page.records.records.map((r: { value: string }) => r.value)).toEqual(acked);

    // The new leader takes writes (the ISR is the two survivors, above min.insync.replicas 1).
    const more = batch(acked.length, 10);
    await cluster.waitFor('an acks ALL produce on the new leader', async () => {
      const body = await cluster.gql(newLeader, PRODUCE, { v: more });
      return body.errors ? undefined : body;
    });
    acked.push(...more.map((r) => r.value));

    await cluster.startNode(oldLeader);
    const rejoined = await cluster.waitFor('the old leader back in the ISR', async () => {
      const p = await cluster.partition(newLeader, 'events');
      return p && p.isr.includes(oldLeader) ? p : undefined;
    }, 60_000);
    expect(rejoined.leader).toBe(newLeader);
    const caughtUp = await cluster.waitFor('the old leader to serve every acknowledged record', async () => {
      const data = await cluster.ok(oldLeader, `{ records(topic: "events", partition: 0, offset: 0, limit: 1000) { records { value } } }`);
      const values = data.records.records.map((r: { value: string }) => r.value);
      return values.length >= acked.length ? values : undefined;
    });
    expect(caughtUp).toEqual(acked);
    const restarted = (await cluster.partition(oldLeader, 'events'))!;
    expect(restarted).toMatchObject({ leader: newLeader, logEndOffset: acked.length });
  });
});
