/**
 * What every system under test offers the workloads: the same three operations in each one's
 * native API. A "topic" is one Logway topic with one partition, one JetStream stream with file
 * storage, or one Redis stream key: one ordered log each, so the figures compare like with like.
 */
import type { ServerSnapshot } from '../server-metrics';

export interface Peer {
  readonly name: string;
  /** One line on what an acknowledged write means here (printed next to the figures). */
  readonly durability: string;
  /** The server process, for RSS. */
  readonly pid: number;
  createTopic(topic: string): Promise<void>;
  /** A new client (its own connection) that appends values and resolves once they are acked. */
  producer(): Promise<PeerProducer>;
  /** A new client (its own connection) following the topic; `onValues` gets each delivered batch. */
  subscribe(topic: string, from: 'earliest' | 'latest', onValues: (values: string[]) => void): Promise<PeerSubscription>;
  close(): Promise<void>;
  /** The server's own event-loop delay histogram and GC totals so far, where it exports them (Logway's /metrics). */
  serverMetrics?(): Promise<ServerSnapshot>;
}

export interface PeerProducer {
  /** Appends the values in order, acknowledged as durably as `durability` says. */
  send(topic: string, values: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface PeerSubscription {
  close(): Promise<void>;
}
