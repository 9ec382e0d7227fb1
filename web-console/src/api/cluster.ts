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

export interface Rates {
  produceRate: number;
  produceBytesRate: number;
  consumeRate: number;
}

export interface RateSample {
  atMs: number;
  produceRate: number;
  consumeRate: number;
}

export interface Traffic {
  /** The node's rates over the last 10 s, counted by the node: right on the first answer. */
  rates: Rates;
  /** The last 5 minutes in 5 s samples, oldest first. */
  history: RateSample[];
}

/** Seconds per history sample; each sample's rate is its average. */
export const HISTORY_STEP_S = 5;

const TRAFFIC = `query Traffic($step: Int!) {
  cluster { rates { produceRate produceBytesRate consumeRate } rateHistory(seconds: 300, stepSeconds: $step) { atMs produceRate consumeRate } }
}`;

export async function fetchTraffic(signal?: AbortSignal): Promise<Traffic> {
  const data = await request<{ cluster: { rates: Rates; rateHistory: RateSample[] } }>(TRAFFIC, { step: HISTORY_STEP_S }, signal);
  return { rates: data.cluster.rates, history: data.cluster.rateHistory };
}
