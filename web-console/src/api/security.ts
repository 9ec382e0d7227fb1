/**
 * API keys and ACL bindings (docs/GRAPHQL-API.md "Security"): the documents are in
 * security.graphql; their shapes come from the contract (generated/operations.ts).
 */
import {
  AclsDocument,
  ApiKeysDocument,
  CreateAclsDocument,
  CreateApiKeyDocument,
  DeleteAclsDocument,
  RevokeApiKeyDocument,
  type AclInput,
  type AclsQuery,
  type ApiKeysQuery,
  type CreateApiKeyMutation,
} from './generated/operations';
import { request } from './graphql';

export type ApiKey = ApiKeysQuery['apiKeys'][number];
export type Acl = AclsQuery['acls'][number];
export type CreatedKey = CreateApiKeyMutation['createApiKey'];
export type NewAcl = AclInput;

export async function fetchApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return (await request(ApiKeysDocument, {}, signal)).apiKeys;
}

export async function createApiKey(principal: string, description: string | null): Promise<CreatedKey> {
  return (await request(CreateApiKeyDocument, { principal, description })).createApiKey;
}

export async function revokeApiKey(id: string): Promise<boolean> {
  return (await request(RevokeApiKeyDocument, { id })).revokeApiKey;
}

export async function fetchAcls(signal?: AbortSignal): Promise<Acl[]> {
  return (await request(AclsDocument, { filter: null }, signal)).acls;
}

export async function createAcl(acl: NewAcl): Promise<void> {
  await request(CreateAclsDocument, { acls: [acl] });
}

/** Deletes exactly this binding (a filter with every field set). */
export async function deleteAcl(acl: Acl): Promise<void> {
  const { principal, resourceType, resourceName, patternType, operation, permission } = acl;
  await request(DeleteAclsDocument, { filter: { principal, resourceType, resourceName, patternType, operation, permission } });
}
