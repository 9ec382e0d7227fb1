/**
 * The admin side of security for one caller (server/security/README.md): who am I, API keys,
 * ACLs and the audit log. Listing needs DESCRIBE on the cluster, changing ALTER on the cluster;
 * every change is audited. Reached as `broker.security` (bound to the request's identity).
 */
import { BadUserInputError } from '../errors';
import {
  CLUSTER_RESOURCE,
  isPrincipalName,
  OPERATIONS,
  PATTERN_TYPES,
  PERMISSIONS,
  RESOURCE_TYPES,
  WILDCARD,
  type AclBinding,
  type AclFilter,
} from '../security/acl';
import type { ApiKeyView } from '../security/api-keys';
import { DEFAULT_QUOTA_PRINCIPAL, type QuotaView } from '../quotas/quotas';
import type { AuditEntry } from '../security/audit-log';
import { ANONYMOUS, principalName, type RequestIdentity } from '../security/principal';
import type { Security } from '../security/security';
import type { BrokerAccess } from './access';

export type { AclBinding, AclFilter } from '../security/acl';
export type { ApiKeyView } from '../security/api-keys';
export type { AuditEntry } from '../security/audit-log';
export type { QuotaView } from '../quotas/quotas';

const AUDIT_LIMIT_MAX = 1_000;

export class SecurityAdmin {
  constructor(
    private readonly security: Security | null,
    private readonly access: BrokerAccess,
    private readonly identity: RequestIdentity | null,
  ) {}

  /** `User:alice`; `User:ANONYMOUS` while auth is off. */
  whoami(): string {
    return principalName(this.identity?.principal ?? ANONYMOUS);
  }

  async listApiKeys(): Promise<ApiKeyView[]> {
    this.access.cluster(this.identity, 'DESCRIBE');
    return this.#required().apiKeys.list();
  }

  createApiKey(principal: string, description: string | null): Promise<{ id: string; principal: string; secret: string }> {
    return this.access.audited(this.identity, 'createApiKey', `principal:${principal}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      checkPrincipal(principal, 'principal');
      if (description !== null && description.length > 1_000)
        throw new BadUserInputError('description is longer than 1000 characters', { field: 'description', max: 1_000 });
      return this.#required().apiKeys.create(principal, description);
    });
  }

  revokeApiKey(id: string): Promise<boolean> {
    return this.access.audited(this.identity, 'revokeApiKey', `apiKey:${id}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      return this.#required().apiKeys.revoke(id);
    });
  }

  listAcls(filter: AclFilter): AclBinding[] {
    this.access.cluster(this.identity, 'DESCRIBE');
    return this.#required().acls.list(filter);
  }

  createAcls(bindings: readonly AclBinding[]): Promise<AclBinding[]> {
    return this.access.audited(this.identity, 'createAcls', bindings.map(describeBinding).join(', '), () => {
      this.access.cluster(this.identity, 'ALTER');
      bindings.forEach(checkBinding);
      return this.#required().acls.create(bindings);
    });
  }

  deleteAcls(filter: AclFilter): Promise<AclBinding[]> {
    return this.access.audited(this.identity, 'deleteAcls', `filter:${JSON.stringify(filter)}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      return this.#required().acls.delete(filter);
    });
  }

  listQuotas(): QuotaView[] {
    this.access.cluster(this.identity, 'DESCRIBE');
    return this.#required().quotas.list();
  }

  /** Kafka's alter client quotas: producer_byte_rate / consumer_byte_rate in bytes per second, null = unlimited. */
  setQuota(principal: string, producerByteRate: number | null, consumerByteRate: number | null): Promise<QuotaView> {
    const rates = `producerByteRate=${producerByteRate ?? 'unlimited'} consumerByteRate=${consumerByteRate ?? 'unlimited'}`;
    return this.access.audited(this.identity, 'setQuota', `principal:${principal} ${rates}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      if (principal !== DEFAULT_QUOTA_PRINCIPAL) checkPrincipal(principal, 'principal');
      checkRate(producerByteRate, 'producerByteRate');
      checkRate(consumerByteRate, 'consumerByteRate');
      return this.#required().quotas.set(principal, producerByteRate, consumerByteRate);
    });
  }

  deleteQuota(principal: string): Promise<boolean> {
    return this.access.audited(this.identity, 'deleteQuota', `principal:${principal}`, () => {
      this.access.cluster(this.identity, 'ALTER');
      return this.#required().quotas.delete(principal);
    });
  }

  auditLog(limit: number): AuditEntry[] {
    this.access.cluster(this.identity, 'DESCRIBE');
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_LIMIT_MAX)
      throw new BadUserInputError(`limit must be from 1 to ${AUDIT_LIMIT_MAX}`, { field: 'limit', max: AUDIT_LIMIT_MAX });
    return this.#required().audit.recent(limit);
  }

  #required(): Security {
    if (!this.security) throw new Error('this broker was built without security (BrokerOptions.security)');
    return this.security;
  }
}

function checkPrincipal(value: string, field: string): void {
  if (!isPrincipalName(value)) throw new BadUserInputError(`${field} must look like User:<name>, got "${value.slice(0, 100)}"`, { field });
}

/** A byte rate is a positive whole number of bytes per second (Kafka refuses 0 and below), or null: unlimited. */
function checkRate(value: number | null, field: string): void {
  if (value !== null && (!Number.isSafeInteger(value) || value < 1))
    throw new BadUserInputError(`${field} must be a positive number of bytes per second, or null for unlimited`, { field });
}

function checkBinding(binding: AclBinding): void {
  if (binding.principal !== 'User:*') checkPrincipal(binding.principal, 'principal');
  // The enums are checked by GraphQL; a call from elsewhere gets the same answer.
  if (
    !RESOURCE_TYPES.includes(binding.resourceType) ||
    !PATTERN_TYPES.includes(binding.patternType) ||
    !OPERATIONS.includes(binding.operation) ||
    !PERMISSIONS.includes(binding.permission)
  ) {
    throw new BadUserInputError('unknown resource type, pattern type, operation or permission');
  }
  if (binding.resourceName === '') throw new BadUserInputError('resourceName must not be empty', { field: 'resourceName' });
  if (binding.resourceType === 'CLUSTER' && binding.resourceName !== CLUSTER_RESOURCE && binding.resourceName !== WILDCARD) {
    throw new BadUserInputError(`a CLUSTER binding's resourceName is "${CLUSTER_RESOURCE}" (or "*")`, { field: 'resourceName' });
  }
  if (binding.patternType === 'PREFIXED' && binding.resourceName === WILDCARD)
    throw new BadUserInputError('a PREFIXED "*" matches nothing: use LITERAL "*"', { field: 'resourceName' });
  if (binding.host === '' || /\s/.test(binding.host)) throw new BadUserInputError('host must be "*" or an address', { field: 'host' });
}

function describeBinding(b: AclBinding): string {
  return `${b.permission} ${b.principal} ${b.operation} ${b.resourceType}:${b.patternType}:${b.resourceName} from ${b.host}`;
}
