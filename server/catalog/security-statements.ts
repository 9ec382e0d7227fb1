/**
 * The security tables (ApiKey, Acl, Quota; server/security/README.md) on prepared better-sqlite3
 * statements, on the catalog's one connection. Synchronous: PrismaCatalog runs each call inside
 * its one-at-a-time queue, so none lands inside a Prisma transaction open on the same connection.
 * They are few and small; Prisma would add nothing here but its per-call cost.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AclRecord, ApiKeyRecord, QuotaRecord } from './catalog';

export interface SecurityStatements {
  createApiKey(key: ApiKeyRecord): boolean;
  replaceApiKey(key: ApiKeyRecord): void;
  getApiKey(id: string): ApiKeyRecord | null;
  listApiKeys(): ApiKeyRecord[];
  revokeApiKey(id: string, nowMs: number): boolean;
  touchApiKeys(uses: readonly { id: string; lastUsedAtMs: number }[]): void;
  listAcls(): AclRecord[];
  createAcls(acls: readonly AclRecord[], nowMs: number): void;
  deleteAcls(acls: readonly AclRecord[]): void;
  listQuotas(): QuotaRecord[];
  putQuota(quota: QuotaRecord): void;
  deleteQuota(principal: string): boolean;
}

interface ApiKeyRow {
  id: string;
  principal: string;
  salt: Buffer;
  hash: Buffer;
  params: string;
  description: string | null;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
}

const ACL_COLUMNS = '"principal", "resourceType", "resourceName", "patternType", "operation", "permission", "host"';
const ACL_MATCH =
  '"principal" = ? AND "resourceType" = ? AND "resourceName" = ? AND "patternType" = ? AND "operation" = ? AND "permission" = ? AND "host" = ?';

export function prepareSecurityStatements(db: BetterSqlite3.Database): SecurityStatements {
  const keyValues = (key: ApiKeyRecord) =>
    [
      key.id,
      key.principal,
      key.salt,
      key.hash,
      key.params,
      key.description,
      BigInt(key.createdAtMs),
      nullableBigInt(key.lastUsedAtMs),
      nullableBigInt(key.revokedAtMs),
    ] as const;
  const replaceKey = db.prepare(
    `INSERT OR REPLACE INTO "ApiKey" ("id", "principal", "salt", "hash", "params", "description", "createdAtMs", "lastUsedAtMs", "revokedAtMs")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertKey = db.prepare(
    `INSERT OR IGNORE INTO "ApiKey" ("id", "principal", "salt", "hash", "params", "description", "createdAtMs", "lastUsedAtMs", "revokedAtMs")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectKey = db.prepare('SELECT * FROM "ApiKey" WHERE "id" = ?').safeIntegers(false);
  const selectKeys = db.prepare('SELECT * FROM "ApiKey" ORDER BY "createdAtMs", "id"').safeIntegers(false);
  const revokeKey = db.prepare('UPDATE "ApiKey" SET "revokedAtMs" = ? WHERE "id" = ? AND "revokedAtMs" IS NULL');
  const touchKey = db.prepare('UPDATE "ApiKey" SET "lastUsedAtMs" = max(coalesce("lastUsedAtMs", 0), ?) WHERE "id" = ?');
  const touchKeys = db.transaction((uses: readonly { id: string; lastUsedAtMs: number }[]) => {
    for (const use of uses) touchKey.run(BigInt(use.lastUsedAtMs), use.id);
  });
  const selectAcls = db.prepare(`SELECT ${ACL_COLUMNS} FROM "Acl" ORDER BY ${ACL_COLUMNS}`);
  const insertAcl = db.prepare(`INSERT OR IGNORE INTO "Acl" (${ACL_COLUMNS}, "createdAtMs") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const deleteAcl = db.prepare(`DELETE FROM "Acl" WHERE ${ACL_MATCH}`);
  const insertAcls = db.transaction((acls: readonly AclRecord[], nowMs: number) => {
    for (const a of acls) insertAcl.run(...aclValues(a), BigInt(nowMs));
  });
  const deleteAcls = db.transaction((acls: readonly AclRecord[]) => {
    for (const a of acls) deleteAcl.run(...aclValues(a));
  });
  const selectQuotas = db
    .prepare('SELECT "principal", "producerByteRate", "consumerByteRate", "updatedAtMs" FROM "Quota" ORDER BY "principal"')
    .safeIntegers(false);
  const putQuota = db.prepare(
    'INSERT OR REPLACE INTO "Quota" ("principal", "producerByteRate", "consumerByteRate", "updatedAtMs") VALUES (?, ?, ?, ?)',
  );
  const deleteQuota = db.prepare('DELETE FROM "Quota" WHERE "principal" = ?');
  return {
    listQuotas: () => selectQuotas.all() as QuotaRecord[],
    putQuota: (q) => {
      putQuota.run(q.principal, nullableBigInt(q.producerByteRate), nullableBigInt(q.consumerByteRate), BigInt(q.updatedAtMs));
    },
    deleteQuota: (principal) => deleteQuota.run(principal).changes === 1,
    createApiKey: (key) => insertKey.run(...keyValues(key)).changes === 1,
    replaceApiKey: (key) => {
      replaceKey.run(...keyValues(key));
    },
    getApiKey: (id) => {
      const row = selectKey.get(id) as ApiKeyRow | undefined;
      return row ? toApiKey(row) : null;
    },
    listApiKeys: () => (selectKeys.all() as ApiKeyRow[]).map(toApiKey),
    revokeApiKey: (id, nowMs) => revokeKey.run(BigInt(nowMs), id).changes === 1,
    touchApiKeys: (uses) => {
      if (uses.length > 0) touchKeys.immediate(uses);
    },
    listAcls: () => selectAcls.all() as AclRecord[],
    createAcls: (acls, nowMs) => {
      if (acls.length > 0) insertAcls.immediate(acls, nowMs);
    },
    deleteAcls: (acls) => {
      if (acls.length > 0) deleteAcls.immediate(acls);
    },
  };
}

function aclValues(a: AclRecord): [string, string, string, string, string, string, string] {
  return [a.principal, a.resourceType, a.resourceName, a.patternType, a.operation, a.permission, a.host];
}

function nullableBigInt(value: number | null): bigint | null {
  return value === null ? null : BigInt(value);
}

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return { ...row, salt: Buffer.from(row.salt), hash: Buffer.from(row.hash) };
}
