/**
 * The audit trail (server/security/README.md "Audit"): every admin action, with who did it from
 * where and how it ended, as one structured log line and in a bounded in-memory list
 * (`auditLog`). Never a secret or a record value: callers pass names and ids only.
 */
import { principalName, type RequestIdentity } from './principal';

const RECENT_MAX = 1_000;

export interface AuditEntry {
  atMs: number;
  principal: string;
  host: string | null;
  action: string;
  /** What was acted on: `topic:orders`, `group:billing`, `apiKey:…`, `acl:…`. */
  resource: string;
  /** `ok`, or the error code the action ended with (denials included). */
  outcome: string;
}

export interface AuditLogger {
  info(fields: object, message: string): void;
}

export class AuditLog {
  readonly #recent: AuditEntry[] = [];

  constructor(
    private readonly logger: AuditLogger,
    private readonly nowMs: () => number,
  ) {}

  record(identity: RequestIdentity, action: string, resource: string, outcome: string): void {
    const entry: AuditEntry = {
      atMs: this.nowMs(),
      principal: principalName(identity.principal),
      host: identity.host,
      action,
      resource,
      outcome,
    };
    this.#recent.push(entry);
    if (this.#recent.length > RECENT_MAX) this.#recent.splice(0, this.#recent.length - RECENT_MAX);
    this.logger.info({ audit: true, ...entry }, `audit: ${entry.principal} ${action} ${resource}: ${outcome}`);
  }

  /** The newest first, at most `limit`. */
  recent(limit: number): AuditEntry[] {
    return this.#recent.slice(-Math.max(0, limit)).reverse();
  }
}
