/**
 * Client quotas (server/security/README.md "Quotas"): list, set, remove. The documents are in
 * quotas.graphql; their shapes come from the contract (generated/operations.ts).
 */
import { DeleteQuotaDocument, QuotasDocument, SetQuotaDocument, type QuotasQuery } from './generated/operations';
import { request } from './graphql';

export type Quota = QuotasQuery['quotas'][number];

export async function fetchQuotas(signal?: AbortSignal): Promise<Quota[]> {
  return (await request(QuotasDocument, {}, signal)).quotas;
}

/** null rates are unlimited. */
export async function setQuota(principal: string, producerByteRate: number | null, consumerByteRate: number | null): Promise<void> {
  await request(SetQuotaDocument, { principal, producerByteRate, consumerByteRate });
}

export async function deleteQuota(principal: string): Promise<boolean> {
  return (await request(DeleteQuotaDocument, { principal })).deleteQuota;
}
