/**
 * The broker's one door to the authorizer (server/security/README.md "Where the authorizer
 * sits"): every use case asks here before it touches anything, so a denied call changes nothing
 * and an error says nothing about resources the caller may not see. `identity` null is the node
 * itself (start-up, maintenance, a broker built directly by a test): it passes, as does everyone
 * while auth is off — no ACL is evaluated then.
 *
 * For the transaction coordinator: `transactionalId(identity, 'WRITE', id)` before touching a
 * transactional id by its name (initProducer), `producerTransactionalId(...)` before a call that
 * names only the producer id (begin, commit, abort, a transactional produce): the broker looks up
 * the id that producer belongs to and checks WRITE on it.
 */
import {
  ClusterAuthorizationFailedError,
  CodedError,
  GroupAuthorizationFailedError,
  TopicAuthorizationFailedError,
  TransactionalIdAuthorizationFailedError,
} from '../errors';
import { CLUSTER_RESOURCE, type AclOperation } from '../security/acl';
import type { Security } from '../security/security';
import type { RequestIdentity } from '../security/principal';

export type Caller = RequestIdentity | null;

export class BrokerAccess {
  constructor(private readonly security: Security | null) {}

  /** Whether ACLs are evaluated for this caller at all. */
  #checked(identity: Caller): identity is RequestIdentity {
    return identity !== null && this.security !== null && this.security.required;
  }

  #allowed(
    identity: RequestIdentity,
    operation: AclOperation,
    type: 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID',
    name: string,
  ): boolean {
    const authorizer = this.security!.authorizer;
    // Internal topics (`__*`) belong to the node: super users only.
    if (type === 'TOPIC' && name.startsWith('__')) return authorizer.isSuperUser(identity);
    return authorizer.authorize(identity, operation, { type, name });
  }

  /** Whether this caller's calls are checked (auth required, and not the node itself). */
  enforces(identity: Caller): boolean {
    return this.#checked(identity);
  }

  mayTopic(identity: Caller, operation: AclOperation, topic: string): boolean {
    return !this.#checked(identity) || this.#allowed(identity, operation, 'TOPIC', topic);
  }

  mayGroup(identity: Caller, operation: AclOperation, groupId: string): boolean {
    return !this.#checked(identity) || this.#allowed(identity, operation, 'GROUP', groupId);
  }

  mayTransactionalId(identity: Caller, operation: AclOperation, transactionalId: string): boolean {
    return !this.#checked(identity) || this.#allowed(identity, operation, 'TRANSACTIONAL_ID', transactionalId);
  }

  topic(identity: Caller, operation: AclOperation, topic: string): void {
    if (!this.mayTopic(identity, operation, topic)) throw new TopicAuthorizationFailedError(operation, topic);
  }

  group(identity: Caller, operation: AclOperation, groupId: string): void {
    if (!this.mayGroup(identity, operation, groupId)) throw new GroupAuthorizationFailedError(operation, groupId);
  }

  cluster(identity: Caller, operation: AclOperation): void {
    if (this.#checked(identity) && !this.#allowed(identity, operation, 'CLUSTER', CLUSTER_RESOURCE))
      throw new ClusterAuthorizationFailedError(operation);
  }

  transactionalId(identity: Caller, operation: AclOperation, transactionalId: string): void {
    if (this.#checked(identity) && !this.#allowed(identity, operation, 'TRANSACTIONAL_ID', transactionalId)) {
      throw new TransactionalIdAuthorizationFailedError(operation, { transactionalId });
    }
  }

  /**
   * A call by producer id: `transactionalId` is the one that producer id belongs to (null: none,
   * an idempotent or unknown producer, which the use case then refuses on its own terms). A
   * denial names the producer id only, so it never tells the caller which transactional id it is.
   */
  producerTransactionalId(identity: Caller, operation: AclOperation, producerId: number, transactionalId: string | null): void {
    if (transactionalId === null || !this.#checked(identity)) return;
    if (!this.#allowed(identity, operation, 'TRANSACTIONAL_ID', transactionalId))
      throw new TransactionalIdAuthorizationFailedError(operation, { producerId });
  }

  /** initProducer: IDEMPOTENT_WRITE on the cluster, or WRITE on some topic (Kafka 3's rule). */
  idempotentWrite(identity: Caller): void {
    if (!this.#checked(identity)) return;
    const authorizer = this.security!.authorizer;
    if (this.#allowed(identity, 'IDEMPOTENT_WRITE', 'CLUSTER', CLUSTER_RESOURCE) || authorizer.authorizeAny(identity, 'WRITE', 'TOPIC'))
      return;
    throw new ClusterAuthorizationFailedError('IDEMPOTENT_WRITE');
  }

  /** createTopic: CREATE on the cluster or on the topic (Kafka). */
  createTopic(identity: Caller, topic: string): void {
    if (!this.#checked(identity)) return;
    if (this.#allowed(identity, 'CREATE', 'CLUSTER', CLUSTER_RESOURCE) || this.#allowed(identity, 'CREATE', 'TOPIC', topic)) return;
    throw new TopicAuthorizationFailedError('CREATE', topic);
  }

  /**
   * Runs an admin action and writes its audit line (who, what, how it ended), denials included.
   * The node's own calls (identity null) are not admin actions of anyone and are not audited.
   */
  async audited<T>(identity: Caller, action: string, resource: string, run: () => Promise<T> | T): Promise<T> {
    if (identity === null || this.security === null) return run();
    try {
      const result = await run();
      this.security.audit.record(identity, action, resource, 'ok');
      return result;
    } catch (error) {
      this.security.audit.record(identity, action, resource, error instanceof CodedError ? error.code : 'INTERNAL_SERVER_ERROR');
      throw error;
    }
  }

  /** ACL changes, so live readers can check again that they may still read (record streams). */
  onAclChange(listener: () => void): () => void {
    return this.security ? this.security.acls.onChange(listener) : () => undefined;
  }
}
