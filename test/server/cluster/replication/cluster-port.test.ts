/**
 * The leader's side of the cluster port over a real socket, spoken to with a raw
 * ReplicationConnection (no fetcher): fencing by leader epoch (a fenced fetch is not the
 * follower's progress), one FETCH answering many partitions, the long-poll woken by an append,
 * OFFSETS_FOR_LEADER_EPOCH answers, OFFSET_OUT_OF_RANGE, and malformed frames closing only their
 * own connection while the node keeps serving.
 */
import * as net from 'node:net';
import { ReplicationConnection } from '../../../../server/cluster/replication/replication-connection';
import {
  API_FETCH,
  API_OFFSETS_FOR_LEADER_EPOCH,
  ReplicationErrorCode,
  type FetchPartitionRequest,
  type FetchRequest,
} from '../../../../server/cluster/replication/protocol/messages';
import { decodeRecordBatch } from '../../../../storage';
import { records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { ReplicationNode } from '../../../support/replication/replication-node';

const TOPIC = 'events';
const FOLLOWER_ID = 1;

let twin: ControlPlaneTwin;
let leader: ReplicationNode;
let connection: ReplicationConnection;

beforeEach(async () => {
  twin = new ControlPlaneTwin();
  leader = await ReplicationNode.start(0, twin);
  // Node 1 is named a replica but never runs: this test speaks for it.
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 4, replicas: [0, 1], isr: [0] });
  await twin.write(TOPIC, 1, { leaderId: 0, leaderEpoch: 4, replicas: [0, 1], isr: [0] });
  connection = await ReplicationConnection.open('127.0.0.1', leader.replication!.port);
});
afterEach(async () => {
  connection?.close();
  await leader.close();
});

function fetchOf(partitions: Partial<FetchPartitionRequest>[], overrides: Partial<FetchRequest> = {}): FetchRequest {
  return {
    apiKey: API_FETCH,
    replicaId: FOLLOWER_ID,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1_048_576,
    partitions: partitions.map((p) => ({
      topic: TOPIC,
      partition: 0,
      currentLeaderEpoch: 4,
      fetchOffset: 0,
      lastFetchedEpoch: -1,
      logStartOffset: 0,
      partitionMaxBytes: 1_048_576,
      ...p,
    })),
    ...overrides,
  };
}

it('answers many partitions in one FETCH with the leader’s batch bytes unchanged, and takes the fetch offset as the follower’s progress', async () => {
  await leader.partition(TOPIC, 0).appendRecordsToLeader(records(3, 'a'), 'LEADER', 1);
  await leader.partition(TOPIC, 1).appendRecordsToLeader(records(2, 'b'), 'LEADER', 1);
  const response = await connection.fetch(fetchOf([{ partition: 0 }, { partition: 1 }]));
  expect(response.partitions.map((p) => [p.partition, p.errorCode, p.logEndOffset])).toEqual([
    [0, 0, 3],
    [1, 0, 2],
  ]);
  const stored = await leader.log(TOPIC, 0).read(0, { maxOffset: 3 });
  expect(response.partitions[0]!.records.equals(stored[0]!.bytes)).toBe(true);
  expect(decodeRecordBatch(response.partitions[1]!.records).records.map((r) => r.value?.toString())).toEqual(['b0', 'b1']);
  await connection.fetch(fetchOf([{ partition: 0, fetchOffset: 3, lastFetchedEpoch: 4 }]));
  expect(leader.partition(TOPIC, 0).replicaLogEndOffset(FOLLOWER_ID)).toBe(3);
});

it('refuses a stale epoch with FENCED_LEADER_EPOCH and a newer one with UNKNOWN_LEADER_EPOCH, recording no progress', async () => {
  await leader.partition(TOPIC).appendRecordsToLeader(records(3), 'LEADER', 1);
  const response = await connection.fetch(
    fetchOf([
      { currentLeaderEpoch: 3, fetchOffset: 3 },
      { currentLeaderEpoch: 5, fetchOffset: 3 },
    ]),
  );
  expect(response.partitions.map((p) => p.errorCode)).toEqual([
    ReplicationErrorCode.FENCED_LEADER_EPOCH,
    ReplicationErrorCode.UNKNOWN_LEADER_EPOCH,
  ]);
  expect(response.partitions.every((p) => p.records.length === 0)).toBe(true);
  expect(leader.partition(TOPIC).replicaLogEndOffset(FOLLOWER_ID)).toBe(-1);
  const stranger = await connection.fetch(fetchOf([{ fetchOffset: 0 }], { replicaId: 7 }));
  expect(stranger.partitions[0]!.errorCode).toBe(ReplicationErrorCode.REPLICA_NOT_AVAILABLE);
  const unknown = await connection.fetch(fetchOf([{ topic: 'nope' }]));
  expect(unknown.partitions[0]!.errorCode).toBe(ReplicationErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const outOfRange = await connection.fetch(fetchOf([{ fetchOffset: 10 }]));
  expect(outOfRange.partitions[0]).toMatchObject({ errorCode: ReplicationErrorCode.OFFSET_OUT_OF_RANGE, logEndOffset: 3 });
});

it('parks a caught-up fetch until an append arrives (long poll), while other requests on the connection are answered', async () => {
  const parked = connection.fetch(fetchOf([{ fetchOffset: 0 }], { maxWaitMs: 60_000 }));
  let answered = false;
  void parked.then(() => (answered = true));
  // Pipelined behind the parked fetch: answered first.
  const epochs = await connection.offsetsForLeaderEpoch({
    apiKey: API_OFFSETS_FOR_LEADER_EPOCH,
    replicaId: FOLLOWER_ID,
    partitions: [{ topic: TOPIC, partition: 0, currentLeaderEpoch: 4, leaderEpoch: 4 }],
  });
  expect(epochs.partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: -1, endOffset: -1 }); // nothing written in any epoch yet
  expect(answered).toBe(false);
  await leader.partition(TOPIC).appendRecordsToLeader(records(2), 'LEADER', 1);
  const response = await parked;
  expect(decodeRecordBatch(response.partitions[0]!.records).records).toHaveLength(2);
});

it('answers OFFSETS_FOR_LEADER_EPOCH with the largest epoch at or below the asked one and where it ends', async () => {
  const p = leader.partition(TOPIC);
  await p.appendRecordsToLeader(records(3), 'LEADER', 1); // epoch 4: 0..2
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 7, replicas: [0, 1], isr: [0] });
  await p.appendRecordsToLeader(records(2), 'LEADER', 1); // epoch 7: 3..4
  const ask = (leaderEpoch: number, currentLeaderEpoch = 7) =>
    connection
      .offsetsForLeaderEpoch({
        apiKey: API_OFFSETS_FOR_LEADER_EPOCH,
        replicaId: FOLLOWER_ID,
        partitions: [{ topic: TOPIC, partition: 0, currentLeaderEpoch, leaderEpoch }],
      })
      .then((r) => r.partitions[0]);
  expect(await ask(4)).toMatchObject({ errorCode: 0, leaderEpoch: 4, endOffset: 3 });
  expect(await ask(6)).toMatchObject({ errorCode: 0, leaderEpoch: 4, endOffset: 3 });
  expect(await ask(7)).toMatchObject({ errorCode: 0, leaderEpoch: 7, endOffset: 5 });
  // Older than every epoch on the leader: that epoch, ending where the leader's first epoch starts.
  expect(await ask(2)).toMatchObject({ errorCode: 0, leaderEpoch: 2, endOffset: 0 });
  expect(await ask(7, 4)).toMatchObject({ errorCode: ReplicationErrorCode.FENCED_LEADER_EPOCH });
  // A follower whose last epoch 5 ends on the leader before its fetch offset is told to truncate (diverging epoch), no records.
  const diverged = await connection.fetch(fetchOf([{ currentLeaderEpoch: 7, fetchOffset: 4, lastFetchedEpoch: 5 }]));
  expect(diverged.partitions[0]).toMatchObject({ errorCode: 0, divergingEpoch: 4, divergingEndOffset: 3 });
  expect(diverged.partitions[0]!.records.length).toBe(0);
  expect(p.replicaLogEndOffset(FOLLOWER_ID)).toBe(-1);
});

it('closes a connection that sends a malformed frame and keeps serving the others', async () => {
  for (const garbage of [
    Buffer.from([0x7f, 0xff, 0xff, 0xff]),
    Buffer.from([0, 0, 0, 8, 0, 99, 0, 1, 0, 0, 0, 1]),
    Buffer.from('GET / HTTP/1.1\r\n\r\n'),
  ]) {
    const socket = net.connect({ host: '127.0.0.1', port: leader.replication!.port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(garbage);
    await closed;
  }
  const response = await connection.fetch(fetchOf([{}]));
  expect(response.partitions[0]!.errorCode).toBe(0);
});
