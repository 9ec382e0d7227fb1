/**
 * Controller election (docs/CLUSTER-PROTOCOL.md "Control plane in etcd"): a create-if-absent of
 * `/<cluster-id>/controller` bound to this node's lease. The winner's controller epoch is the
 * key's create revision, which every controller write checks in its own transaction, so a
 * deposed controller's late write never lands. The others watch the key and run again when it
 * is deleted (its lease expired or was revoked, or the controller resigned).
 */
import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import type { ClusterKeys } from './etcd-keys';
import type { PrefixMirror } from './prefix-mirror';

export interface ControllerRole {
  /** This node became the controller with `epoch`. */
  elected(epoch: number): void;
  /** This node is no longer the controller. */
  deposed(): void;
}

export class ControllerElection {
  private lease: Lease | null = null;
  private lastSeenEpoch: number | null = null;
  /** New controllers (controller epochs) this node saw elected since it started (metrics). */
  changes = 0;
  private myEpoch: number | null = null;
  private running = false;
  /** A campaign was asked for while one ran (the key was deleted meanwhile): run once more. */
  private rerun = false;

  constructor(
    private readonly client: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly mirror: PrefixMirror,
    private readonly nodeId: number,
    private readonly role: ControllerRole,
    private readonly logger: Logger,
  ) {
    mirror.listen({
      put: (_key, entry) => {
        if (entry.createRevision !== this.lastSeenEpoch) {
          this.lastSeenEpoch = entry.createRevision;
          this.changes++;
        }
        if (this.myEpoch !== null && entry.createRevision !== this.myEpoch) this.depose();
      },
      delete: () => {
        this.depose();
        void this.campaign();
      },
    });
  }

  /** The controller's node id as etcd has it now, or null while there is none. */
  get controllerId(): number | null {
    const entry = this.mirror.entries.get(this.keys.controller);
    if (!entry) return null;
    try {
      const id: unknown = (JSON.parse(entry.value) as { nodeId?: unknown }).nodeId;
      return typeof id === 'number' ? id : null;
    } catch {
      return null;
    }
  }

  /** This node's controller epoch while it is the controller. */
  get epoch(): number | null {
    return this.myEpoch;
  }

  /** A new membership lease (campaign with it) or null (lost: whatever this node held went with it). */
  setLease(lease: Lease | null): void {
    this.lease = lease;
    if (!lease) this.depose();
    else void this.campaign();
  }

  /** Clean shutdown: give the role up at once (the key is deleted only if it is still this node's). */
  async resign(): Promise<void> {
    const epoch = this.myEpoch;
    this.lease = null;
    this.depose();
    if (epoch === null) return;
    await this.client
      .if(this.keys.controller, 'Create', '==', epoch)
      .then(this.client.delete().key(this.keys.controller))
      .commit()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'resigning the controller failed; the lease revoke ends it'));
  }

  private async campaign(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (!this.lease || this.myEpoch !== null) return;
    this.running = true;
    const lease = this.lease;
    try {
      const key = this.keys.controller;
      const txn = await this.client
        .if(key, 'Create', '==', 0)
        .then(lease.put(key).value(JSON.stringify({ nodeId: this.nodeId })))
        .commit();
      if (txn.succeeded && this.lease === lease) {
        this.myEpoch = Number(txn.header.revision);
        this.logger.info({ nodeId: this.nodeId, controllerEpoch: this.myEpoch }, 'elected controller');
        this.role.elected(this.myEpoch);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'controller campaign failed; it runs again on the next change of the controller key or lease');
    } finally {
      this.running = false;
    }
    if (this.rerun) {
      this.rerun = false;
      void this.campaign();
    }
  }

  private depose(): void {
    if (this.myEpoch === null) return;
    this.myEpoch = null;
    this.logger.info({ nodeId: this.nodeId }, 'no longer the controller');
    this.role.deposed();
  }
}
