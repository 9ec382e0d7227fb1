/**
 * The ACLs (server/security/README.md "ACL store, caching and invalidation"): kept in the
 * catalog, held in memory, handed to the authorizer after every change (which forgets its cached
 * decisions), and announced to listeners so live subscriptions re-check what they read. A change
 * the store reports from elsewhere (another node, in a cluster) is loaded the same way.
 */
import type { AclRecord, SecurityCatalog } from '../catalog/catalog';
import { matchesFilter, type AclBinding, type AclFilter } from './acl';
import type { Authorizer } from './authorizer';

export class AclStore {
  #acls: readonly AclBinding[] = [];
  readonly #listeners = new Set<() => void>();

  private constructor(
    private readonly catalog: SecurityCatalog,
    private readonly authorizer: Authorizer,
    private readonly nowMs: () => number,
  ) {}

  static async open(catalog: SecurityCatalog, authorizer: Authorizer, nowMs: () => number): Promise<AclStore> {
    const store = new AclStore(catalog, authorizer, nowMs);
    store.#replace((await catalog.listAcls()) as AclBinding[]);
    catalog.onChange?.((change) => {
      if (change.kind === 'acls') void store.#reload();
    });
    return store;
  }

  list(filter: AclFilter = {}): AclBinding[] {
    return this.#acls.filter((acl) => matchesFilter(acl, filter));
  }

  /** Writes the catalog first, then the memory: a failed write changes nothing. */
  async create(bindings: readonly AclBinding[]): Promise<AclBinding[]> {
    await this.catalog.createAcls(bindings.map(toRecord), this.nowMs());
    this.#replace((await this.catalog.listAcls()) as AclBinding[]);
    return [...bindings];
  }

  /** Deletes every binding the filter matches; returns them. */
  async delete(filter: AclFilter): Promise<AclBinding[]> {
    const doomed = this.list(filter);
    await this.catalog.deleteAcls(doomed.map(toRecord));
    this.#replace((await this.catalog.listAcls()) as AclBinding[]);
    return doomed;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #reload(): Promise<void> {
    this.#replace((await this.catalog.listAcls()) as AclBinding[]);
  }

  #replace(acls: readonly AclBinding[]): void {
    this.#acls = Object.freeze(acls.map((a) => Object.freeze({ ...a })));
    this.authorizer.setAcls(this.#acls);
    for (const listener of [...this.#listeners]) listener();
  }
}

function toRecord(binding: AclBinding): AclRecord {
  const { principal, resourceType, resourceName, patternType, operation, permission, host } = binding;
  return { principal, resourceType, resourceName, patternType, operation, permission, host };
}
