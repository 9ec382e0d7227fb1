/**
 * The controller's jobs, run only while this node holds the controller epoch
 * (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"): place each new topic's replicas (and partitions createPartitions added) over the
 * live members; when a member's key goes, elect a new leader (clean, from the ISR, epoch + 1) for
 * every partition it led and shrink it out of the ISRs it was in; when a member joins while a
 * state still names it leader, bump the epoch. On taking over it does the same for every member
 * that is not live. Every write is a transaction conditioned on the controller epoch and on the
 * key's mod revision it read; a lost race re-reads and decides again. One job at a time.
 */
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { AsyncLock } from '../../../storage/index';
import type { ReplicaAssignment } from '../partition';
import type { ClusterState } from './cluster-state';
import { assignmentValue, parseAssignment, type ClusterKeys } from './etcd-keys';
import { afterNodeJoin, afterNodeLoss } from './failover-rules';
import type { MemberDirectory } from './member-directory';
import { placeReplicas } from './placement';

const CAS_ATTEMPTS = 5;

export class Controller {
  private epoch: number | null = null;
  private readonly lock = new AsyncLock();
  /** Controller changes this node saw (metrics). */
  elections = 0;

  constructor(
    private readonly client: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly state: ClusterState,
    private readonly members: MemberDirectory,
    private readonly logger: Logger,
  ) {
    members.listen({
      left: (nodeId) => this.run('node loss', () => this.handleLoss(nodeId)),
      joined: (member) => this.run('node join', () => this.handleJoin(member.nodeId)),
    });
    state.onChange((topic) => this.run('topic placement', () => this.maybePlace(topic)));
  }

  elected(epoch: number): void {
    this.epoch = epoch;
    this.elections++;
    this.run('takeover', async () => {
      for (const topic of this.state.topicNames()) await this.maybePlace(topic);
      const dead = new Set<number>();
      for (const s of this.state.allStates())
        for (const id of [...s.isr, ...(s.leaderId === null ? [] : [s.leaderId])]) if (!this.members.isLive(id)) dead.add(id);
      for (const nodeId of dead) await this.handleLoss(nodeId);
    });
  }

  deposed(): void {
    this.epoch = null;
  }

  /** Resolves once every job queued so far has run (tests; shutdown). */
  idle(): Promise<void> {
    return this.lock.run(async () => undefined);
  }

  private run(what: string, job: () => Promise<void>): void {
    if (this.epoch === null) return;
    void this.lock
      .run(async () => {
        if (this.epoch !== null) await job();
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, `controller: ${what} failed`));
  }

  private async handleLoss(nodeId: number): Promise<void> {
    for (const s of this.state.allStates()) {
      if (s.leaderId !== nodeId && !s.isr.includes(nodeId)) continue;
      await this.rewrite(s.topic, s.partition, (current) =>
        afterNodeLoss(current, nodeId, (id) => id !== nodeId && this.members.isLive(id), this.uncleanAllowed(s.topic)),
      );
    }
  }

  private async handleJoin(nodeId: number): Promise<void> {
    for (const s of this.state.allStates()) {
      const isLive = (id: number) => this.members.isLive(id);
      if (s.leaderId === nodeId) await this.rewrite(s.topic, s.partition, (current) => afterNodeJoin(current, nodeId, isLive));
      else if (s.leaderId !== null && !isLive(s.leaderId) && s.replicas.includes(nodeId) && this.uncleanAllowed(s.topic))
        // An offline partition whose out-of-sync replica came back: the topic allows it to lead.
        await this.rewrite(s.topic, s.partition, (current) =>
          current.leaderId !== null && !isLive(current.leaderId) ? afterNodeLoss(current, current.leaderId, isLive, true) : null,
        );
    }
  }

  /** unclean.leader.election.enable of the topic as created through the control plane (its key's configs). */
  private uncleanAllowed(topic: string): boolean {
    return this.state.topic(topic)?.value.configs['unclean.leader.election.enable'] === 'true';
  }

  /** A topic request with partitions that have no state yet (a new topic, or createPartitions): place those (or refuse a new topic with `error`). */
  private async maybePlace(topic: string): Promise<void> {
    const stored = this.state.topic(topic);
    if (!stored || stored.value.error !== undefined || this.state.placedStates(topic) || this.epoch === null) return;
    const { partitions, replicationFactor } = stored.value;
    const missing = Array.from({ length: partitions }, (_, p) => p).filter((p) => !this.state.state(topic, p));
    const topicKey = this.keys.topic(topic);
    let replicas: number[][];
    try {
      replicas = placeReplicas(topic, partitions, replicationFactor, this.members.live());
    } catch (error) {
      if (missing.length < partitions) return; // added partitions wait for enough live members (the next change retries)
      const refused = JSON.stringify({ ...stored.value, error: error instanceof Error ? error.message : String(error) });
      await this.client
        .if(this.keys.controller, 'Create', '==', this.epoch)
        .and(topicKey, 'Mod', '==', stored.modRevision)
        .then(this.client.put(topicKey).value(refused))
        .commit();
      return;
    }
    let txn = this.client.if(this.keys.controller, 'Create', '==', this.epoch).and(topicKey, 'Mod', '==', stored.modRevision);
    for (const p of missing) txn = txn.and(this.keys.partition(topic, p), 'Create', '==', 0);
    const puts = missing.map((p) => {
      const r = replicas[p]!;
      return this.client
        .put(this.keys.partition(topic, p))
        .value(assignmentValue({ leaderId: r[0]!, leaderEpoch: 0, replicas: r, isr: r }));
    });
    const result = await txn.then(...puts).commit();
    if (result.succeeded)
      this.logger.info({ topic, partitions: missing, replicas: missing.map((p) => replicas[p]) }, 'controller placed partitions');
  }

  /** Read-decide-CAS on one partition state until it lands, nothing is to change, or this node is no longer the controller. */
  private async rewrite(topic: string, partition: number, decide: (current: ReplicaAssignment) => ReplicaAssignment | null): Promise<void> {
    const key = this.keys.partition(topic, partition);
    const current = this.state.state(topic, partition);
    let read: { assignment: ReplicaAssignment; mod: number } | null = current ? { assignment: current, mod: current.version } : null;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && read && this.epoch !== null; attempt++) {
      const next = decide(read.assignment);
      if (!next) return;
      const txn = await this.client
        .if(this.keys.controller, 'Create', '==', this.epoch)
        .and(key, 'Mod', '==', read.mod)
        .then(this.client.put(key).value(assignmentValue(next)))
        .else(this.client.get(key))
        .commit();
      if (txn.succeeded) {
        this.logger.info({ topic, partition, from: read.assignment, to: next }, 'controller changed a partition state');
        return;
      }
      const kv = txn.responses[0]?.response_range?.kvs[0];
      const assignment = kv ? parseAssignment(kv.value.toString()) : null;
      read = kv && assignment ? { assignment, mod: Number(kv.mod_revision) } : null;
    }
  }
}
