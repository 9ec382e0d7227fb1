/** The cluster: its nodes and controller (Query.cluster). */
import { request } from './graphql';

export interface ClusterNode {
  nodeId: number;
  host: string;
  port: number;
  isController: boolean;
}

export interface Cluster {
  clusterId: string;
  version: string;
  controllerId: number;
  nodes: ClusterNode[];
}

const CLUSTER = `query Cluster { cluster { clusterId version controllerId nodes { nodeId host port isController } } }`;

export async function fetchCluster(signal?: AbortSignal): Promise<Cluster> {
  return (await request<{ cluster: Cluster }>(CLUSTER, {}, signal)).cluster;
}
