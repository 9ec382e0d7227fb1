/**
 * Mutual TLS on the cluster port (docs/CLUSTER-PROTOCOL.md "Connection"), with a cluster CA and
 * certificates made by openssl in the test: a follower with a certificate of the cluster CA
 * replicates (acks ALL completes, byte-identical replicas); a peer with no certificate, a
 * self-signed one, one from another CA, or plain TCP is refused in the handshake and gets nothing,
 * while the leader keeps serving its followers; unusable files are TLS_CONFIG_INVALID.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { loadClusterTls, type ClusterTls } from '../../../../server/cluster/replication/cluster-tls';
import { ReplicationConnection } from '../../../../server/cluster/replication/replication-connection';
import { encodeRequest } from '../../../../server/cluster/replication/protocol/codec';
import { API_OFFSETS_FOR_LEADER_EPOCH, type OffsetsForLeaderEpochRequest } from '../../../../server/cluster/replication/protocol/messages';
import { records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { logBytes, ReplicationNode } from '../../../support/replication/replication-node';
import { makeCa, makeSelfSignedCert, makeSignedCert, opensslAvailable, type TestCa, type TestCert } from '../../../support/tls-certs';

if (!opensslAvailable()) throw new Error('these tests need the openssl command (apt-get install openssl)');

const TOPIC = 'secure';
let dir: string;
let ca: TestCa;
let otherCa: TestCa;
let node0: TestCert;
let node1: TestCert;
let material0: ClusterTls;
let material1: ClusterTls;
let twin: ControlPlaneTwin;
let nodes: ReplicationNode[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'logway-mtls-'));
  ca = makeCa(dir, 'cluster');
  otherCa = makeCa(dir, 'other');
  node0 = makeSignedCert(dir, 'node0', ca);
  node1 = makeSignedCert(dir, 'node1', ca);
  material0 = await loadClusterTls({ caFile: ca.certFile, certFile: node0.certFile, keyFile: node0.keyFile });
  material1 = await loadClusterTls({ caFile: ca.certFile, certFile: node1.certFile, keyFile: node1.keyFile });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const node of nodes) await node.close();
  nodes = [];
});

async function startPair(): Promise<[ReplicationNode, ReplicationNode]> {
  twin = new ControlPlaneTwin();
  const leader = await ReplicationNode.start(0, twin, { tls: material0, replicaLagTimeMaxMs: 600_000, fetch: { maxWaitMs: 100 } });
  const follower = await ReplicationNode.start(1, twin, { tls: material1, replicaLagTimeMaxMs: 600_000, fetch: { maxWaitMs: 100 } });
  nodes = [leader, follower];
  await twin.write(TOPIC, 0, { leaderId: 0, leaderEpoch: 1, replicas: [0, 1], isr: [0, 1] });
  return [leader, follower];
}

async function produceAll(node: ReplicationNode, count: number, prefix: string): Promise<number> {
  const p = node.partition(TOPIC);
  const { result } = await p.appendRecordsToLeader(records(count, prefix), 'ALL', 2);
  await p.awaitReplicas(result.lastOffset + 1, 2, 20_000);
  return result.lastOffset + 1;
}

const epochRequest: OffsetsForLeaderEpochRequest = {
  apiKey: API_OFFSETS_FOR_LEADER_EPOCH,
  replicaId: 1,
  partitions: [{ topic: TOPIC, partition: 0, currentLeaderEpoch: 1, leaderEpoch: 1 }],
};

/** A TLS connection to the leader's cluster port with these options, sending one real request: 'accepted' when answered, else the failure. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: material0.ca, ...options });
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    // TLS 1.3: the client's handshake completes before the server checks its certificate; a
    // refusal then arrives as an alert or a close instead of the answer.
    socket.once('secureConnect', () => {
      for (const part of encodeRequest(1, epochRequest)) socket.write(part);
      socket.once('data', () => done('accepted'));
    });
    socket.once('error', (error) => done(`refused: ${(error as { code?: string }).code ?? error.message}`));
    socket.once('close', () => done('refused: closed'));
  });
}

it('a follower with a certificate of the cluster CA replicates over mutual TLS', async () => {
  const [leader, follower] = await startPair();
  const end = await produceAll(leader, 20, 'tls-');
  expect(end).toBe(20);
  expect((await logBytes(follower.log(TOPIC), 20)).equals(await logBytes(leader.log(TOPIC), 20))).toBe(true);
  // The same client identity, spoken raw: requests are answered.
  const connection = await ReplicationConnection.open('127.0.0.1', leader.replication!.port, material1);
  try {
    const answer = await connection.offsetsForLeaderEpoch(epochRequest);
    expect(answer.partitions[0]).toMatchObject({ errorCode: 0, leaderEpoch: 1, endOffset: 20 });
  } finally {
    connection.close();
  }
});

it('refuses a peer without a valid cluster certificate, and plain TCP, while the followers go on', async () => {
  const [leader, follower] = await startPair();
  const port = leader.replication!.port;
  const selfSigned = makeSelfSignedCert(dir, 'outsider');
  const foreign = makeSignedCert(dir, 'foreign', otherCa);
  expect(await handshake(port, {})).toMatch(/^refused/);
  expect(await handshake(port, { cert: selfSigned.pem, key: readFileSync(selfSigned.keyFile) })).toMatch(/^refused/);
  expect(await handshake(port, { cert: foreign.pem, key: readFileSync(foreign.keyFile) })).toMatch(/^refused/);
  // Plain TCP with the replication protocol: its request never gets an answer.
  const plain = await ReplicationConnection.open('127.0.0.1', port);
  await expect(plain.offsetsForLeaderEpoch(epochRequest)).rejects.toThrow();
  // A follower that trusts another CA refuses the leader's certificate too.
  const foreignMaterial = await loadClusterTls({ caFile: otherCa.certFile, certFile: foreign.certFile, keyFile: foreign.keyFile });
  await expect(ReplicationConnection.open('127.0.0.1', port, foreignMaterial)).rejects.toThrow();
  // The valid control: the same helper accepts a certificate of the cluster CA.
  expect(await handshake(port, { cert: node1.pem, key: readFileSync(node1.keyFile) })).toBe('accepted');

  expect(await produceAll(leader, 5, 'after-')).toBe(5);
  expect(follower.log(TOPIC).logEndOffset).toBeGreaterThanOrEqual(5);
});

it('unusable cluster TLS files are TLS_CONFIG_INVALID', async () => {
  const outsider = makeSelfSignedCert(dir, 'loner');
  await expect(loadClusterTls({ caFile: ca.certFile, certFile: outsider.certFile, keyFile: outsider.keyFile })).rejects.toMatchObject({
    code: 'TLS_CONFIG_INVALID',
    message: expect.stringContaining('is not signed by the cluster CA'),
  });
  await expect(loadClusterTls({ caFile: ca.certFile, certFile: node0.certFile, keyFile: node1.keyFile })).rejects.toMatchObject({
    code: 'TLS_CONFIG_INVALID',
    message: expect.stringContaining('is not the key of the certificate'),
  });
  await expect(
    loadClusterTls({ caFile: path.join(dir, 'nope.crt'), certFile: node0.certFile, keyFile: node0.keyFile }),
  ).rejects.toMatchObject({
    code: 'TLS_CONFIG_INVALID',
    message: expect.stringContaining('ENOENT'),
  });
});
