/**
 * The cluster: its nodes and controller (Query.cluster), and the node's traffic. The documents
 * are in cluster.graphql; their shapes come from the contract (generated/operations.ts).
 */
import { ClusterDocument, TrafficDocument, type ClusterQuery, type TrafficQuery } from './generated/operations';
import { request } from './graphql';

export type Cluster = ClusterQuery['cluster'];
export type Rates = TrafficQuery['cluster']['rates'];
export type RateSample = TrafficQuery['cluster']['rateHistory'][number];

export async function fetchCluster(signal?: AbortSignal): Promise<Cluster> {
  return (await request(ClusterDocument, {}, signal)).cluster;
}

export interface Traffic {
  /** The node's rates over the last 10 s, counted by the node: right on the first answer. */
  rates: Rates;
  /** The last 5 minutes in 5 s samples, oldest first. */
  history: RateSample[];
}

/** Seconds per history sample; each sample's rate is its average. */
export const HISTORY_STEP_S = 5;

export async function fetchTraffic(signal?: AbortSignal): Promise<Traffic> {
  const data = await request(TrafficDocument, { step: HISTORY_STEP_S }, signal);
  return { rates: data.cluster.rates, history: data.cluster.rateHistory };
}
