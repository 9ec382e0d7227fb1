/**
 * acks ALL producers for fault tests (docs/RELIABILITY.md §3.1 "Workload", small): `producers`
 * loops, each sending one call of `batch` unique values at a time to the partition's leader (the
 * running node whose view has the highest leader epoch, or a fixed node with `target`). A value
 * counts as acknowledged only when its call answered without errors; an error or a lost answer
 * is an unknown outcome (the value may or may not be stored), never a loss. Records when each
 * acknowledgement came and from which node, so a test can print the unavailability window
 * (never assert it: timings on a shared machine are not facts).
 */
import type { TestCluster } from './cluster-harness';

const PRODUCE = `mutation($t: String!, $r: [RecordInput!]!) { produce(input: { topic: $t, acks: ALL, records: $r }) { records { offset } } }`;
/** Above the node's own acks ALL bound (30 s, server/broker/produce.ts), so the node answers first. */
const CALL_TIMEOUT_MS = 40_000;

export interface Ack {
  nodeId: number;
  atMs: number;
  values: string[];
}

export interface LoadOptions {
  producers?: number;
  /** Values per produce call. */
  batch?: number;
  /** Send to this node only (e.g. an isolated leader); default: the leader with the highest epoch. */
  target?: number;
  /** Prefix of the values (unique per load). */
  name?: string;
  /** The nodes whose views name the leader (default: every running node). */
  viewFrom?: () => number[];
  /** A client's own bound on one call (default 40 s, above the node's); past it the outcome is unknown. */
  callTimeoutMs?: number;
}

export class AcksAllLoad {
  readonly acks: Ack[] = [];
  /** Error codes (or 'network') of the calls that were not acknowledged. */
  readonly errors: Record<string, number> = {};
  private stopping = false;
  private loops: Promise<void>[] = [];
  private leader: number | null = null;

  constructor(
    private readonly cluster: TestCluster,
    private readonly topic: string,
    private readonly partition: number,
    private readonly options: LoadOptions = {},
  ) {}

  start(): this {
    const producers = this.options.producers ?? 3;
    this.loops = Array.from({ length: producers }, (_, i) => this.run(i));
    return this;
  }

  /** Stops sending and waits for the calls in flight (each bounded by CALL_TIMEOUT_MS). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  /** Every acknowledged value. */
  get acked(): string[] {
    return this.acks.flatMap((a) => a.values);
  }

  /** The values each producer had acknowledged, in its order (one call at a time per producer). */
  ackedBy(producer: number): string[] {
    const prefix = `${this.options.name ?? 'load'}-${producer}-`;
    return this.acked.filter((v) => v.startsWith(prefix));
  }

  /** The longest time between two acknowledgements (or from `sinceMs` to the first one after it). */
  longestGapMs(sinceMs = 0): number {
    const times = this.acks
      .map((a) => a.atMs)
      .filter((t) => t >= sinceMs)
      .sort((a, b) => a - b);
    let longest = times.length > 0 && sinceMs > 0 ? times[0]! - sinceMs : 0;
    for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
    return longest;
  }

  private async run(producer: number): Promise<void> {
    const batch = this.options.batch ?? 5;
    let next = 0;
    while (!this.stopping) {
      const nodeId = this.options.target ?? (await this.currentLeader());
      if (nodeId === null || !this.cluster.running().includes(nodeId)) {
        // A leader that is not running (just killed) is asked again: the views name it until the election.
        if (this.options.target === undefined) this.leader = null;
        await sleep(100);
        continue;
      }
      const values = Array.from({ length: batch }, () => `${this.options.name ?? 'load'}-${producer}-${next++}`);
      const outcome = await this.send(nodeId, values);
      if (outcome === 'ok') this.acks.push({ nodeId, atMs: Date.now(), values });
      else {
        this.errors[outcome] = (this.errors[outcome] ?? 0) + 1;
        this.leader = null;
        await sleep(100);
      }
    }
  }

  private async send(nodeId: number, values: string[]): Promise<string> {
    const url = this.cluster.node(nodeId).process?.url;
    if (!url) return 'network';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: PRODUCE,
          variables: { t: this.topic, r: values.map((value) => ({ value, partition: this.partition })) },
        }),
        signal: AbortSignal.timeout(this.options.callTimeoutMs ?? CALL_TIMEOUT_MS),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return body.errors?.length ? (body.errors[0]?.extensions?.code ?? 'unknown') : 'ok';
    } catch {
      return 'network';
    }
  }

  /** The leader named by the running node whose view has the highest leader epoch (an isolated old leader's view is older). */
  private async currentLeader(): Promise<number | null> {
    if (this.leader !== null) return this.leader;
    let best: { leader: number | null; leaderEpoch: number } | null = null;
    const running = this.cluster.running();
    for (const id of this.options.viewFrom?.().filter((n) => running.includes(n)) ?? running) {
      const view = await this.cluster.partition(id, this.topic, this.partition).catch(() => null);
      if (view && view.leader !== null && (!best || view.leaderEpoch > best.leaderEpoch)) best = view;
    }
    this.leader = best?.leader ?? null;
    return this.leader;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
