/**
 * API keys on a real catalog (server/security/api-keys.ts): the stored row has a salted scrypt
 * hash and never the secret; a wrong secret for a real id is refused; a revocation is seen at
 * once even with the key cached; lastUsedAt is written on a flush, not per use; the bootstrap
 * key survives restarts and comes back after a revocation.
 */
import path from 'node:path';
import { openCatalog } from '../../../server/catalog/prisma-catalog';
import type { Catalog } from '../../../server/catalog/catalog';
import { apiKeyIdOf, ApiKeys } from '../../../server/security/api-keys';
import { ConcurrencyLimiter } from '../../../server/security/scrypt-limiter';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir('logway-keys-');
let catalog: Catalog;
let keys: ApiKeys;
let now = 1_000_000;

beforeEach(async () => {
  catalog = await openCatalog({ databaseFile: path.join(tmp.path, 'catalog.db') });
  keys = new ApiKeys(
    catalog.security,
    () => now,
    (error) => {
      throw error;
    },
  );
});

afterEach(async () => {
  await keys.close();
  await catalog.close();
});

describe('ApiKeys', () => {
  test('concurrent first uses of one key share one scrypt; other keys past the cap are THROTTLED', async () => {
    const alice = await keys.create('User:alice', null);
    const bob = await keys.create('User:bob', null);
    const carol = await keys.create('User:carol', null);
    // One scrypt at a time and no queue: without sharing, the second verification of alice would be refused.
    const capped = new ApiKeys(
      catalog.security,
      () => now,
      () => undefined,
      undefined,
      new ConcurrencyLimiter(1, 0),
    );
    try {
      const [a1, a2, a3, b] = await Promise.allSettled([
        capped.verify(alice.secret),
        capped.verify(alice.secret),
        capped.verify(alice.secret),
        capped.verify(bob.secret),
      ]);
      for (const result of [a1, a2, a3]) expect(result).toEqual({ status: 'fulfilled', value: { id: alice.id, principal: 'User:alice' } });
      expect(b).toMatchObject({ status: 'rejected', reason: { code: 'THROTTLED', retriable: true } });
      // Cached now: no scrypt, so no slot needed.
      expect(await capped.verify(alice.secret)).toEqual({ id: alice.id, principal: 'User:alice' });
      expect(await capped.verify(carol.secret)).toEqual({ id: carol.id, principal: 'User:carol' });
      expect(capped.cachedCount).toBe(2);
    } finally {
      await capped.close();
    }
  });

  test('stores a salted hash, never the secret; verifies the secret and nothing else', async () => {
    const created = await keys.create('User:alice', 'ci');
    const row = await catalog.security.getApiKey(created.id);
    expect(row).toMatchObject({ principal: 'User:alice', description: 'ci', params: 'N=16384,r=8,p=1,len=32' });
    expect(row!.salt).toHaveLength(16);
    expect(row!.hash).toHaveLength(32);
    expect(JSON.stringify(row)).not.toContain(created.secret.slice('lw_0123456789abcdef_'.length));
    expect(await keys.verify(created.secret)).toEqual({ id: created.id, principal: 'User:alice' });
    const forged = `lw_${created.id}_${'A'.repeat(43)}`;
    expect(await keys.verify(forged)).toBeNull();
    // Cached now: a wrong secret for the same id is still refused.
    expect(await keys.verify(forged)).toBeNull();
  });

  test('revocation is seen at once, cached or not, and is announced', async () => {
    const created = await keys.create('User:bob', null);
    expect(await keys.verify(created.secret)).not.toBeNull();
    const revoked: string[] = [];
    keys.onRevoked((id) => revoked.push(id));
    expect(await keys.revoke(created.id)).toBe(true);
    expect(revoked).toEqual([created.id]);
    expect(await keys.verify(created.secret)).toBeNull();
    expect(await keys.revoke(created.id)).toBe(false);
    expect((await keys.list()).map((k) => k.id)).not.toContain(created.id);
  });

  test('lastUsedAt is kept in memory and written on a flush', async () => {
    const created = await keys.create('User:carol', null);
    now = 2_000_000;
    await keys.verify(created.secret);
    now = 3_000_000;
    await keys.verify(created.secret);
    expect((await catalog.security.getApiKey(created.id))!.lastUsedAtMs).toBeNull();
    expect((await keys.list()).find((k) => k.id === created.id)!.lastUsedAtMs).toBe(3_000_000);
    await keys.flushLastUsed();
    expect((await catalog.security.getApiKey(created.id))!.lastUsedAtMs).toBe(3_000_000);
  });

  test('the bootstrap key: ensured idempotently, and restored after a revocation', async () => {
    const secret = 'operator-chosen-secret-123456';
    await keys.ensure(secret, 'User:admin', 'bootstrap');
    await keys.ensure(secret, 'User:admin', 'bootstrap');
    expect((await keys.list()).filter((k) => k.principal === 'User:admin')).toHaveLength(1);
    expect(await keys.verify(secret)).toEqual({ id: apiKeyIdOf(secret), principal: 'User:admin' });
    await keys.revoke(apiKeyIdOf(secret));
    expect(await keys.verify(secret)).toBeNull();
    await keys.ensure(secret, 'User:admin', 'bootstrap');
    expect(await keys.verify(secret)).not.toBeNull();
  });
});
