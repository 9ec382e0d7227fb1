/**
 * The node's security parts, built once by the composition root (server/main.ts): the API keys,
 * the ACL store and authorizer, the authenticator the transports call, and the audit log the
 * broker writes to. With auth off they all exist (keys and ACLs can be prepared before auth is
 * switched on) but the transports ask for no credential and the broker evaluates no ACL.
 */
import type { SecurityCatalog } from '../catalog/catalog';
import type { Scheduler } from '../../storage/index';
import { AclStore } from './acl-store';
import { ApiKeys } from './api-keys';
import { AuditLog, type AuditLogger } from './audit-log';
import { Authenticator } from './authenticator';
import { Authorizer } from './authorizer';
import { FailedAttempts } from './failed-attempts';
import { JwtVerifier, type JwtSettings } from './jwt';
import { Quotas } from '../quotas/quotas';

/** The principal the bootstrap key belongs to; always a super user. */
export const ADMIN_PRINCIPAL = 'User:admin';

export interface SecuritySettings {
  auth: 'off' | 'required';
  superUsers: readonly string[];
  bootstrapAdminKey: string | null;
  jwt: JwtSettings | null;
}

export interface SecurityLogger extends AuditLogger {
  warn(fields: object, message: string): void;
}

export class Security {
  private constructor(
    readonly required: boolean,
    readonly apiKeys: ApiKeys,
    readonly authorizer: Authorizer,
    readonly acls: AclStore,
    readonly authenticator: Authenticator,
    readonly audit: AuditLog,
    /** Client quotas per principal (server/quotas/), enforced by the broker whether auth is on or off. */
    readonly quotas: Quotas,
  ) {}

  static async open(
    catalog: SecurityCatalog,
    settings: SecuritySettings,
    logger: SecurityLogger,
    nowMs: () => number,
    scheduler?: Scheduler,
  ): Promise<Security> {
    const apiKeys = new ApiKeys(
      catalog,
      nowMs,
      (error) => logger.warn({ err: error }, "writing API keys' lastUsedAt failed; the next flush retries"),
      scheduler,
    );
    try {
      if (settings.bootstrapAdminKey !== null)
        await apiKeys.ensure(settings.bootstrapAdminKey, ADMIN_PRINCIPAL, 'bootstrap admin key (--bootstrap-admin-key)');
      const authorizer = new Authorizer([ADMIN_PRINCIPAL, ...settings.superUsers]);
      const acls = await AclStore.open(catalog, authorizer, nowMs);
      const jwt = settings.jwt ? new JwtVerifier(settings.jwt) : null;
      const authenticator = new Authenticator(apiKeys, jwt, new FailedAttempts(nowMs));
      const quotas = await Quotas.open(catalog, nowMs);
      return new Security(settings.auth === 'required', apiKeys, authorizer, acls, authenticator, new AuditLog(logger, nowMs), quotas);
    } catch (error) {
      await apiKeys.close();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.apiKeys.close();
  }
}
