/**
 * The JSON values under `/<cluster-id>/security/` (docs/CLUSTER-PROTOCOL.md "Keys"), parsed
 * strictly: a value that does not parse or lacks a field is refused (null); unknown fields are
 * ignored, so a later version may add fields.
 */
import type { AclRecord, ApiKeyRecord, QuotaRecord } from '../../catalog/catalog';
import { nonNegativeInt, parseJsonObject as parse } from './json-value';

const time = nonNegativeInt;

function optionalTime(value: unknown): number | null | undefined {
  return value === null ? null : (time(value) ?? undefined);
}

/** An API key record (lastUsedAtMs is not in it: each node's marks are their own keys). */
export function parseApiKey(id: string, text: string): Omit<ApiKeyRecord, 'lastUsedAtMs'> | null {
  const v = parse(text);
  if (!v || typeof v.principal !== 'string' || typeof v.salt !== 'string' || typeof v.hash !== 'string') return null;
  if (typeof v.params !== 'string' || (v.description !== null && typeof v.description !== 'string')) return null;
  const createdAtMs = time(v.createdAtMs);
  const revokedAtMs = optionalTime(v.revokedAtMs);
  if (createdAtMs === null || revokedAtMs === undefined) return null;
  return {
    id,
    principal: v.principal,
    salt: Buffer.from(v.salt, 'base64'),
    hash: Buffer.from(v.hash, 'base64'),
    params: v.params,
    description: v.description as string | null,
    createdAtMs,
    revokedAtMs,
  };
}

export function parseUse(text: string): number | null {
  return time(parse(text)?.lastUsedAtMs);
}

const ACL_FIELDS = ['principal', 'resourceType', 'resourceName', 'patternType', 'operation', 'permission', 'host'] as const;

export function parseAcl(text: string): AclRecord | null {
  const v = parse(text);
  if (!v || ACL_FIELDS.some((field) => typeof v[field] !== 'string')) return null;
  const acl = {} as Record<string, string>;
  for (const field of ACL_FIELDS) acl[field] = v[field] as string;
  return acl as unknown as AclRecord;
}

export function parseQuota(text: string): QuotaRecord | null {
  const v = parse(text);
  if (!v || typeof v.principal !== 'string') return null;
  const producerByteRate = optionalTime(v.producerByteRate);
  const consumerByteRate = optionalTime(v.consumerByteRate);
  const updatedAtMs = time(v.updatedAtMs);
  if (producerByteRate === undefined || consumerByteRate === undefined || updatedAtMs === null) return null;
  return { principal: v.principal, producerByteRate, consumerByteRate, updatedAtMs };
}
