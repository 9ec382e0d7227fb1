/**
 * The authorizer: pure, Kafka's AclAuthorizer semantics (server/security/README.md). A DENY that
 * matches wins; no matching ALLOW is a denial; super users pass. Decisions are cached per
 * (principal, host, operation, resource) until the ACLs change (`setAcls`), so the hot paths
 * (produce, delivery) pay a map lookup, not a scan of the bindings.
 */
import { grantingOperations, patternMatches, WILDCARD, type AclBinding, type AclOperation, type Resource } from './acl';
import { principalName, type RequestIdentity } from './principal';

/** A cache this size is cleared whole when full: a flood of distinct names cannot grow it without bound. */
const DECISION_CACHE_MAX = 100_000;

export class Authorizer {
  #acls: readonly AclBinding[] = [];
  readonly #superUsers: ReadonlySet<string>;
  readonly #decisions = new Map<string, boolean>();

  constructor(superUsers: Iterable<string>) {
    this.#superUsers = new Set(superUsers);
  }

  /** Replaces the bindings (the ACL store calls this after every change) and forgets every decision. */
  setAcls(acls: readonly AclBinding[]): void {
    this.#acls = acls;
    this.#decisions.clear();
  }

  isSuperUser(identity: RequestIdentity): boolean {
    return this.#superUsers.has(principalName(identity.principal));
  }

  authorize(identity: RequestIdentity, operation: AclOperation, resource: Resource): boolean {
    const principal = principalName(identity.principal);
    if (this.#superUsers.has(principal)) return true;
    const key = `${principal}\u0000${identity.host ?? ''}\u0000${operation}\u0000${resource.type}\u0000${resource.name}`;
    const cached = this.#decisions.get(key);
    if (cached !== undefined) return cached;
    const decision = this.#decide(principal, identity.host, operation, resource);
    if (this.#decisions.size >= DECISION_CACHE_MAX) this.#decisions.clear();
    this.#decisions.set(key, decision);
    return decision;
  }

  /**
   * Kafka's authorizeByResourceType: may the principal do `operation` on at least one resource
   * of this type (an idempotent producer needs WRITE on some topic, or IDEMPOTENT_WRITE on the
   * cluster)? A DENY of every name (LITERAL `*`) wins.
   */
  authorizeAny(identity: RequestIdentity, operation: AclOperation, type: Resource['type']): boolean {
    const principal = principalName(identity.principal);
    if (this.#superUsers.has(principal)) return true;
    const granting = grantingOperations(operation);
    const applies = (acl: AclBinding) =>
      acl.resourceType === type &&
      (acl.principal === principal || acl.principal === 'User:*') &&
      (acl.host === WILDCARD || acl.host === identity.host);
    if (
      this.#acls.some(
        (acl) =>
          applies(acl) &&
          acl.permission === 'DENY' &&
          acl.patternType === 'LITERAL' &&
          acl.resourceName === WILDCARD &&
          (acl.operation === operation || acl.operation === 'ALL'),
      )
    ) {
      return false;
    }
    return this.#acls.some((acl) => applies(acl) && acl.permission === 'ALLOW' && granting.includes(acl.operation));
  }

  #decide(principal: string, host: string | null, operation: AclOperation, resource: Resource): boolean {
    const granting = grantingOperations(operation);
    let allowed = false;
    for (const acl of this.#acls) {
      if (acl.principal !== principal && acl.principal !== 'User:*') continue;
      if (acl.host !== WILDCARD && acl.host !== host) continue;
      if (!patternMatches(acl, resource)) continue;
      if (acl.permission === 'DENY') {
        // A DENY of the operation itself, or of ALL, wins; a DENY of READ does not deny DESCRIBE (Kafka).
        if (acl.operation === operation || acl.operation === 'ALL') return false;
        continue;
      }
      if (granting.includes(acl.operation)) allowed = true;
    }
    return allowed;
  }
}
