/** server/config.ts: the cluster flags (docs/GRAPHQL-API.md "Cluster"); without --etcd-endpoints the node is the embedded single node. */
import { ConfigError, loadConfig } from '../../server/config';

describe('config: cluster', () => {
  it('is the embedded single node without etcd endpoints, whatever else is set', () => {
    expect(loadConfig(['--cluster-port', '9000', '--rack', 'a'], {}).cluster).toBeNull();
  });

  it('takes the endpoints, the cluster id and the rest, with defaults', () => {
    const config = loadConfig(
      ['--node-id', '2', '--etcd-endpoints', 'http://127.0.0.1:2379, http://10.0.0.2:2379', '--host', '127.0.0.1'],
      {},
    );
    expect(config.cluster).toEqual({
      etcdEndpoints: ['http://127.0.0.1:2379', 'http://10.0.0.2:2379'],
      clusterName: 'logway',
      clusterPort: 0,
      advertisedHost: '127.0.0.1',
      advertisedClusterPort: null,
      rack: null,
      sessionTimeoutMs: 3000,
      replicaLagTimeMaxMs: 30000,
      tls: null,
    });
    const env = {
      LOGWAY_ETCD_ENDPOINTS: 'https://etcd:2379',
      LOGWAY_NODE_ID: '1',
      LOGWAY_CLUSTER_ID: 'prod-1',
      LOGWAY_RACK: 'eu-1a',
      LOGWAY_ADVERTISED_HOST: 'node1.local',
      LOGWAY_ADVERTISED_CLUSTER_PORT: '19093',
    };
    expect(loadConfig(['--cluster-port', '9093'], env).cluster).toMatchObject({
      clusterName: 'prod-1',
      rack: 'eu-1a',
      advertisedHost: 'node1.local',
      advertisedClusterPort: 19093,
      clusterPort: 9093,
    });
  });

  it('refuses a missing --node-id, a URL that is not http(s)://host:port, a bad cluster id and a session below 2 s', () => {
    expect(() => loadConfig(['--etcd-endpoints', 'http://127.0.0.1:2379'], {})).toThrow(/node-id is required/);
    expect(() => loadConfig(['--node-id', '1', '--etcd-endpoints', '127.0.0.1:2379'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--node-id', '1', '--etcd-endpoints', 'http://e:1', '--cluster-id', 'a/b'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--node-id', '1', '--etcd-endpoints', 'http://e:1', '--cluster-session-timeout-ms', '500'], {})).toThrow(
      ConfigError,
    );
  });

  it("takes the cluster port's mutual TLS files together, all three or none", () => {
    const base = ['--node-id', '1', '--etcd-endpoints', 'http://e:1'];
    const files = ['--cluster-tls-ca-file', 'ca.pem', '--cluster-tls-cert-file', 'node.pem', '--cluster-tls-key-file', 'node.key'];
    expect(loadConfig([...base, ...files], {}).cluster?.tls).toEqual({ caFile: 'ca.pem', certFile: 'node.pem', keyFile: 'node.key' });
    expect(() => loadConfig([...base, ...files.slice(0, 4)], {})).toThrow(/go together/);
  });
});
