/**
 * Kafka's ACL model (server/security/README.md "Where the authorizer sits"): a binding allows or
 * denies a principal an operation from a host on the resources its pattern matches.
 */
export const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'] as const;
export const PATTERN_TYPES = ['LITERAL', 'PREFIXED'] as const;
export const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
] as const;
export const PERMISSIONS = ['ALLOW', 'DENY'] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];
export type PatternType = (typeof PATTERN_TYPES)[number];
export type AclOperation = (typeof OPERATIONS)[number];
export type AclPermission = (typeof PERMISSIONS)[number];

/** The one cluster resource's name (Kafka's `kafka-cluster`). */
export const CLUSTER_RESOURCE = 'kafka-cluster';
/** A LITERAL name (or principal, or host) that matches every one. */
export const WILDCARD = '*';

export interface AclBinding {
  principal: string;
  resourceType: ResourceType;
  resourceName: string;
  patternType: PatternType;
  operation: AclOperation;
  permission: AclPermission;
  host: string;
}

/** A filter: every field left out matches any value (deleteAcls, acls). */
export type AclFilter = Partial<AclBinding>;

export interface Resource {
  type: ResourceType;
  name: string;
}

export function matchesFilter(binding: AclBinding, filter: AclFilter): boolean {
  for (const key of Object.keys(filter) as (keyof AclBinding)[]) {
    const wanted = filter[key];
    if (wanted !== undefined && wanted !== null && binding[key] !== wanted) return false;
  }
  return true;
}

/** Does the binding's resource pattern cover this resource? */
export function patternMatches(binding: AclBinding, resource: Resource): boolean {
  if (binding.resourceType !== resource.type) return false;
  if (binding.patternType === 'PREFIXED') return resource.name.startsWith(binding.resourceName);
  return binding.resourceName === WILDCARD || binding.resourceName === resource.name;
}

/**
 * The operations whose ALLOW grants `operation` (Kafka's implied operations): ALL grants every
 * one; READ, WRITE, DELETE and ALTER grant DESCRIBE; ALTER_CONFIGS grants DESCRIBE_CONFIGS; WRITE
 * grants IDEMPOTENT_WRITE. A DENY of these same operations denies `operation`.
 */
export function grantingOperations(operation: AclOperation): readonly AclOperation[] {
  switch (operation) {
    case 'DESCRIBE':
      return ['DESCRIBE', 'ALL', 'READ', 'WRITE', 'DELETE', 'ALTER'];
    case 'DESCRIBE_CONFIGS':
      return ['DESCRIBE_CONFIGS', 'ALL', 'ALTER_CONFIGS'];
    case 'IDEMPOTENT_WRITE':
      return ['IDEMPOTENT_WRITE', 'ALL', 'WRITE'];
    default:
      return [operation, 'ALL'];
  }
}

/** `User:alice` → valid; the principal form every binding and credential uses. */
export function isPrincipalName(value: string): boolean {
  return /^User:[^\s]+$/.test(value);
}
