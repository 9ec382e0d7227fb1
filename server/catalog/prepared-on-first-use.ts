/**
 * Statements prepared the first time one is used rather than when the catalog opens. A catalog
 * opened with an older migrations dir (the upgrade tests) lacks the newer tables, and preparing a
 * statement on a missing table throws; preparing lazily lets such a catalog open and serve what
 * its tables hold.
 */
export function preparedOnFirstUse<T extends object>(prepare: () => T): T {
  let prepared: T | null = null;
  return new Proxy({} as T, {
    get: (_target, name) => (prepared ??= prepare())[name as keyof T],
  });
}
