/**
 * The replicated security state of a cluster (docs/CLUSTER-PROTOCOL.md "Control plane in etcd",
 * "Security"; server/security/README.md "In a cluster"): API key records, ACL bindings and quotas
 * under `/<cluster-id>/security/`, behind the same SecurityCatalog interface as the node's SQLite
 * tables. Reads come from a PrefixMirror of that prefix (checks never wait on etcd); each write is
 * one etcd transaction with the CAS condition the protocol names, bounded by WRITE_DEADLINE_MS,
 * after which it answers ETCD_UNAVAILABLE (retriable). Every change the watch delivers is told
 * to the onChange listeners after the mirror has it.
 */
import { createHash } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import type { Scheduler } from '../../../storage/index';
import type { AclRecord, ApiKeyRecord, QuotaRecord, SecurityCatalog, SecurityChange } from '../../catalog/catalog';
import type { ClusterKeys } from './etcd-keys';
import { EtcdUnavailableError } from './etcd-unavailable-error';
import type { PrefixMirror } from './prefix-mirror';
import { parseAcl, parseApiKey, parseQuota, parseUse } from './security-values';

/** How long a change may wait for etcd before it answers ETCD_UNAVAILABLE. */
const WRITE_DEADLINE_MS = 5_000;
const CAS_ATTEMPTS = 5;

export class EtcdSecurityStore implements SecurityCatalog {
  readonly #listeners = new Set<(change: SecurityChange) => void>();
  readonly #prefix: string;

  constructor(
    private readonly client: Etcd3,
    keys: ClusterKeys,
    private readonly mirror: PrefixMirror,
    private readonly nodeId: number,
    private readonly endpoints: readonly string[],
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {
    this.#prefix = `${keys.root}security/`;
    mirror.listen({ put: (key) => this.#tell(key), delete: (key) => this.#tell(key) });
  }

  static prefixOf(keys: ClusterKeys): string {
    return `${keys.root}security/`;
  }

  onChange(listener: (change: SecurityChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // --- API keys -----------------------------------------------------------------------------

  async createApiKey(key: ApiKeyRecord): Promise<boolean> {
    const at = this.#keyOf(key.id);
    return this.#write(() =>
      this.client
        .if(at, 'Create', '==', 0)
        .then(this.client.put(at).value(apiKeyValue(key)))
        .commit(),
    ).then((txn) => txn.succeeded);
  }

  async replaceApiKey(key: ApiKeyRecord): Promise<void> {
    const at = this.#keyOf(key.id);
    await this.#write(() => this.client.put(at).value(apiKeyValue(key)).exec());
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const entry = this.mirror.entries.get(this.#keyOf(id));
    return entry ? this.#apiKeyOf(id, entry.value) : null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const keys: ApiKeyRecord[] = [];
    const start = `${this.#prefix}api-keys/`;
    for (const [key, entry] of this.mirror.entries) {
      if (!key.startsWith(start)) continue;
      const record = this.#apiKeyOf(key.slice(start.length), entry.value);
      if (record) keys.push(record);
    }
    return keys.sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
  }

  async revokeApiKey(id: string, nowMs: number): Promise<boolean> {
    const at = this.#keyOf(id);
    let entry = this.mirror.entries.get(at);
    let mod = entry?.modRevision ?? 0;
    let value = entry?.value;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const record = value === undefined ? null : this.#apiKeyOf(id, value);
      if (!record || record.revokedAtMs !== null) return false;
      const txn = await this.#write(() =>
        this.client
          .if(at, 'Mod', '==', mod)
          .then(
            this.client.put(at).value(apiKeyValue({ ...record, revokedAtMs: nowMs })),
            this.client.delete().prefix(`${this.#prefix}api-key-uses/${id}/`),
          )
          .else(this.client.get(at))
          .commit(),
      );
      if (txn.succeeded) return true;
      const kv = txn.responses[0]?.response_range?.kvs[0];
      value = kv?.value.toString();
      mod = kv ? Number(kv.mod_revision) : 0;
      entry = undefined;
    }
    throw new EtcdUnavailableError(this.endpoints, new Error(`the record of API key ${id} kept changing`));
  }

  /** This node's own lastUsedAt marks, one transaction (docs/CLUSTER-PROTOCOL.md: per node, merged at read). */
  async touchApiKeys(uses: readonly { id: string; lastUsedAtMs: number }[]): Promise<void> {
    const live = uses.filter((use) => this.mirror.entries.has(this.#keyOf(use.id)));
    if (live.length === 0) return;
    await this.#write(() =>
      this.client
        .if(this.#keyOf(live[0]!.id), 'Create', '>', 0)
        .then(...live.map((use) => this.client.put(this.#useOf(use.id)).value(JSON.stringify({ lastUsedAtMs: use.lastUsedAtMs }))))
        .commit(),
    );
  }

  // --- ACLs ---------------------------------------------------------------------------------

  async listAcls(): Promise<AclRecord[]> {
    const acls: AclRecord[] = [];
    for (const [key, entry] of this.mirror.entries) {
      if (!key.startsWith(`${this.#prefix}acls/`)) continue;
      const acl = parseAcl(entry.value);
      if (acl) acls.push(acl);
      else this.logger.warn({ key }, 'ignoring an ACL key that does not parse');
    }
    return acls;
  }

  async createAcls(acls: readonly AclRecord[], nowMs: number): Promise<void> {
    let missing = acls.filter((acl) => !this.mirror.entries.has(this.#aclOf(acl)));
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      if (missing.length === 0) return;
      const batch = missing;
      const txn = await this.#write(() => {
        let builder = this.client.if(this.#aclOf(batch[0]!), 'Create', '==', 0);
        for (const acl of batch.slice(1)) builder = builder.and(this.#aclOf(acl), 'Create', '==', 0);
        return builder
          .then(...batch.map((acl) => this.client.put(this.#aclOf(acl)).value(JSON.stringify({ ...pickAcl(acl), createdAtMs: nowMs }))))
          .commit();
      });
      if (txn.succeeded) return;
      // Some were created meanwhile (the same binding elsewhere): keep the ones still absent.
      const present = await this.#write(() => this.client.getAll().prefix(`${this.#prefix}acls/`).keys());
      const have = new Set(present);
      missing = batch.filter((acl) => !have.has(this.#aclOf(acl)));
    }
    throw new EtcdUnavailableError(this.endpoints, new Error('the ACLs kept changing'));
  }

  async deleteAcls(acls: readonly AclRecord[]): Promise<void> {
    if (acls.length === 0) return;
    await this.#write(() =>
      this.client
        .if(this.#aclOf(acls[0]!), 'Create', '>', -1)
        .then(...acls.map((acl) => this.client.delete().key(this.#aclOf(acl))))
        .commit(),
    );
  }

  // --- quotas -------------------------------------------------------------------------------

  async listQuotas(): Promise<QuotaRecord[]> {
    const quotas: QuotaRecord[] = [];
    for (const [key, entry] of this.mirror.entries) {
      if (!key.startsWith(`${this.#prefix}quotas/`)) continue;
      const quota = parseQuota(entry.value);
      if (quota) quotas.push(quota);
      else this.logger.warn({ key }, 'ignoring a quota key that does not parse');
    }
    return quotas.sort((a, b) => a.principal.localeCompare(b.principal));
  }

  async putQuota(quota: QuotaRecord): Promise<void> {
    await this.#write(() => this.client.put(this.#quotaOf(quota.principal)).value(JSON.stringify(quota)).exec());
  }

  async deleteQuota(principal: string): Promise<boolean> {
    const at = this.#quotaOf(principal);
    const txn = await this.#write(() => this.client.if(at, 'Create', '>', 0).then(this.client.delete().key(at)).commit());
    return txn.succeeded;
  }

  // --- internals ----------------------------------------------------------------------------

  #keyOf(id: string): string {
    return `${this.#prefix}api-keys/${id}`;
  }

  #useOf(id: string): string {
    return `${this.#prefix}api-key-uses/${id}/${this.nodeId}`;
  }

  #aclOf(acl: AclRecord): string {
    const fields = [acl.principal, acl.resourceType, acl.resourceName, acl.patternType, acl.operation, acl.permission, acl.host];
    return `${this.#prefix}acls/${createHash('sha256').update(fields.join('\0')).digest('hex')}`;
  }

  #quotaOf(principal: string): string {
    return `${this.#prefix}quotas/${encodeURIComponent(principal)}`;
  }

  /** The record with its lastUsedAt merged over every node's mark (the latest). */
  #apiKeyOf(id: string, text: string): ApiKeyRecord | null {
    const record = parseApiKey(id, text);
    if (!record) {
      this.logger.warn({ id }, 'ignoring an API key record that does not parse');
      return null;
    }
    const uses = `${this.#prefix}api-key-uses/${id}/`;
    let lastUsedAtMs: number | null = null;
    for (const [key, entry] of this.mirror.entries) {
      if (!key.startsWith(uses)) continue;
      const used = parseUse(entry.value);
      if (used !== null && (lastUsedAtMs === null || used > lastUsedAtMs)) lastUsedAtMs = used;
    }
    return { ...record, lastUsedAtMs };
  }

  #tell(key: string): void {
    const rest = key.slice(this.#prefix.length);
    let change: SecurityChange | null = null;
    if (rest.startsWith('acls/')) change = { kind: 'acls' };
    else if (rest.startsWith('quotas/')) change = { kind: 'quotas' };
    else if (rest.startsWith('api-keys/')) change = { kind: 'apiKey', id: rest.slice('api-keys/'.length) };
    if (change) for (const listener of [...this.#listeners]) listener(change);
  }

  /** One etcd call, ETCD_UNAVAILABLE when it fails or does not answer within WRITE_DEADLINE_MS (the client's own retries included). */
  #write<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.scheduler.after(WRITE_DEADLINE_MS, () =>
        reject(new EtcdUnavailableError(this.endpoints, new Error(`no answer within ${WRITE_DEADLINE_MS} ms`))),
      );
      call().then(
        (value) => {
          timer.cancel();
          resolve(value);
        },
        (error: unknown) => {
          timer.cancel();
          reject(error instanceof EtcdUnavailableError ? error : new EtcdUnavailableError(this.endpoints, error));
        },
      );
    });
  }
}

function apiKeyValue(key: ApiKeyRecord): string {
  return JSON.stringify({
    principal: key.principal,
    salt: key.salt.toString('base64'),
    hash: key.hash.toString('base64'),
    params: key.params,
    description: key.description,
    createdAtMs: key.createdAtMs,
    revokedAtMs: key.revokedAtMs,
  });
}

function pickAcl(acl: AclRecord): AclRecord {
  const { principal, resourceType, resourceName, patternType, operation, permission, host } = acl;
  return { principal, resourceType, resourceName, patternType, operation, permission, host };
}
