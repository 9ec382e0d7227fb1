/**
 * Every network link of a test cluster through a fault proxy (fault-proxy.ts), so a test can
 * delay, blackhole or cut one link: each node listens on a fixed cluster port and advertises its
 * proxy's port instead (`--advertised-cluster-port`), so every follower's fetches to it pass the
 * proxy, which names the follower by the replicaId of its first request (one fault per
 * follower → leader link); and each node reaches etcd through a proxy of its own
 * (`--etcd-endpoints` is that proxy). Ports stay the same across restarts of a node.
 */
import { freePort } from '../free-port';
import { FaultProxy, identifyClusterPeer, type LinkFault } from './fault-proxy';

interface NodeLinks {
  clusterPort: number;
  clusterProxy: FaultProxy;
  etcdProxy: FaultProxy;
}

export class ClusterLinks {
  private constructor(private readonly nodes: Map<number, NodeLinks>) {}

  static async start(nodeIds: readonly number[], etcdUrl: string): Promise<ClusterLinks> {
    const etcdPort = Number(new URL(etcdUrl).port);
    const links = new ClusterLinks(new Map());
    try {
      for (const nodeId of nodeIds) {
        const clusterPort = await freePort();
        const clusterProxy = await FaultProxy.start({ targetPort: clusterPort, identify: identifyClusterPeer });
        const etcdProxy = await FaultProxy.start({ targetPort: etcdPort }).catch(async (error: unknown) => {
          await clusterProxy.close();
          throw error;
        });
        links.nodes.set(nodeId, { clusterPort, clusterProxy, etcdProxy });
      }
      return links;
    } catch (error) {
      await links.close();
      throw error;
    }
  }

  /** The `logway start` flags that put a node's links through its proxies. */
  argsFor(nodeId: number): string[] {
    const node = this.of(nodeId);
    return [
      '--cluster-port',
      String(node.clusterPort),
      '--advertised-cluster-port',
      String(node.clusterProxy.port),
      '--etcd-endpoints',
      `http://127.0.0.1:${node.etcdProxy.port}`,
    ];
  }

  /** The fault on the link follower `from` → `to`'s cluster port (the fetches `from` sends to `to` as its leader, and their answers). */
  replication(from: number, to: number, fault: LinkFault): void {
    this.of(to).clusterProxy.set(fault, String(from));
  }

  /** The fault on a node's link to etcd. */
  etcd(nodeId: number, fault: LinkFault): void {
    this.of(nodeId).etcdProxy.set(fault);
  }

  /** Blackholes every link of `nodeId`: to and from the other nodes' cluster ports, and to etcd (a network partition around it). */
  isolate(nodeId: number): void {
    for (const other of this.nodes.keys()) {
      if (other === nodeId) continue;
      this.replication(other, nodeId, 'drop');
      this.replication(nodeId, other, 'drop');
    }
    this.etcd(nodeId, 'drop');
  }

  /** Every link back to `pass` (connections that lost bytes are reset, so their ends reconnect). */
  heal(): void {
    for (const node of this.nodes.values()) {
      node.clusterProxy.heal();
      node.etcdProxy.heal();
    }
  }

  /** Connections the proxy in front of `to`'s cluster port accepted from follower `from` so far. */
  acceptedFrom(from: number, to: number): number {
    return this.of(to).clusterProxy.accepted.get(String(from)) ?? 0;
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) {
      await node.clusterProxy.close();
      await node.etcdProxy.close();
    }
    this.nodes.clear();
  }

  private of(nodeId: number): NodeLinks {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`no links for node ${nodeId}`);
    return node;
  }
}
