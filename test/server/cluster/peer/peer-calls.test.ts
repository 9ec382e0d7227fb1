/**
 * Forwarded calls over a real cluster port (docs/CLUSTER-PROTOCOL.md "Forwarded calls"): a peer
 * client reaches the node the NodeDirectory names, calls pipeline and answer out of order, the
 * handler sees the carried caller, a coded error arrives with its code, a non-coded failure is
 * INTERNAL_SERVER_ERROR and the port keeps serving, an unknown node is a retriable
 * NODE_NOT_AVAILABLE, and a lost connection is replaced on the next call.
 */
import pino from 'pino';
import type { NodeEndpoint } from '../../../../server/cluster/cluster-view';
import { PeerClients, PeerHandlers, type PeerApi } from '../../../../server/cluster/peer';
import { listenForReplication, type ReplicationServer } from '../../../../server/cluster/replication/replication-server';
import { NotLeaderOrFollowerError } from '../../../../server/errors';
import type { RequestIdentity } from '../../../../server/security/principal';

const WAIT: PeerApi<{ id: number }, { id: number; who: string }> = {
  apiKey: 1060,
  apiVersion: 1,
  name: 'WAIT',
  writeRequest: (w, req) => void w.int32(req.id),
  readRequest: (r) => ({ id: r.int32() }),
  writeResponse: (w, res) => void w.int32(res.id).string(res.who),
  readResponse: (r) => ({ id: r.int32(), who: r.string() }),
};

const alice: RequestIdentity = { principal: { type: 'User', name: 'alice' }, host: '10.0.0.9' };

describe('forwarded calls on the cluster port', () => {
  let server: ReplicationServer;
  let clients: PeerClients;
  const release = new Map<number, () => void>();
  let endpoint: NodeEndpoint | undefined;

  beforeEach(async () => {
    const peers = new PeerHandlers();
    peers.register(WAIT, async (req, caller) => {
      if (req.id === 13) throw new NotLeaderOrFollowerError('t', 0, 2, 5);
      if (req.id === 66) throw new Error('boom');
      if (req.id % 2 === 1) await new Promise<void>((done) => release.set(req.id, done));
      return { id: req.id, who: caller ? `${caller.principal.name}@${caller.host}` : 'node' };
    });
    server = await listenForReplication({
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
      peers,
      handle: () => {
        throw new Error('no replication in this test');
      },
    });
    endpoint = { nodeId: 2, host: '127.0.0.1', port: 1, clusterPort: server.port, rack: null };
    clients = new PeerClients({ endpointOf: (id) => (id === 2 ? endpoint : undefined) });
  });

  afterEach(async () => {
    await clients.close();
    await server.close();
  });

  it('pipelines calls, answers out of order and carries the caller', async () => {
    const slow = clients.call(2, WAIT, alice, { id: 1 });
    const fast = await clients.call(2, WAIT, null, { id: 2 });
    expect(fast).toEqual({ id: 2, who: 'node' });
    release.get(1)!();
    expect(await slow).toEqual({ id: 1, who: 'alice@10.0.0.9' });
  });

  it('answers a coded error with its code and keeps serving after a non-coded failure', async () => {
    await expect(clients.call(2, WAIT, alice, { id: 13 })).rejects.toMatchObject({
      code: 'NOT_LEADER_OR_FOLLOWER',
      retriable: true,
      details: { topic: 't', partition: 0, leaderId: 2, leaderEpoch: 5 },
    });
    await expect(clients.call(2, WAIT, alice, { id: 66 })).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retriable: false });
    expect(await clients.call(2, WAIT, alice, { id: 4 })).toEqual({ id: 4, who: 'alice@10.0.0.9' });
  });

  it('refuses an unknown node as a retriable NODE_NOT_AVAILABLE', async () => {
    await expect(clients.call(3, WAIT, alice, { id: 2 })).rejects.toMatchObject({ code: 'NODE_NOT_AVAILABLE', retriable: true });
  });

  it('fails calls in flight when the node goes, and reconnects on the next call', async () => {
    const pending = clients.call(2, WAIT, alice, { id: 3 });
    await clients.call(2, WAIT, alice, { id: 2 }); // the connection is open and the slow call is parked
    await server.close();
    await expect(pending).rejects.toMatchObject({ code: 'NODE_NOT_AVAILABLE' });
    const peers = new PeerHandlers();
    peers.register(WAIT, (req) => ({ id: req.id, who: 'again' }));
    server = await listenForReplication({
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
      peers,
      handle: () => {
        throw new Error('none');
      },
    });
    endpoint = { ...endpoint!, clusterPort: server.port };
    expect(await clients.call(2, WAIT, alice, { id: 8 })).toEqual({ id: 8, who: 'again' });
  });

  it('refuses to register a replication apiKey or the same apiKey twice', () => {
    const peers = new PeerHandlers();
    expect(() => peers.register({ ...WAIT, apiKey: 1 }, () => ({ id: 0, who: '' }))).toThrow();
    peers.register(WAIT, () => ({ id: 0, who: '' }));
    expect(() => peers.register(WAIT, () => ({ id: 0, who: '' }))).toThrow();
  });
});
