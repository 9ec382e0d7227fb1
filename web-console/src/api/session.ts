/**
 * The console's credential (server/security/README.md): an API key typed into the login form,
 * kept in sessionStorage only (gone when the tab closes; never localStorage or a cookie), sent as
 * `Authorization: Bearer …` over HTTP and in the graphql-ws connection_init payload. A node that
 * answers UNAUTHENTICATED (or closes the live socket with 4403) makes the console ask for a key.
 */
const STORAGE_KEY = 'logway.apiKey';

let needsLogin = false;
let version = 0;
const listeners = new Set<() => void>();

function changed(): void {
  version++;
  for (const listener of listeners) listener();
}

function stored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the console works while auth is off
  }
}

/** Headers for a GraphQL request: the key, when there is one. */
export function authorizationHeaders(): Record<string, string> {
  const key = stored();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** The graphql-ws connection_init payload. */
export function connectionParams(): Record<string, string> {
  const key = stored();
  return key ? { authorization: `Bearer ${key}` } : {};
}

export function logIn(apiKey: string): void {
  sessionStorage.setItem(STORAGE_KEY, apiKey.trim());
  needsLogin = false;
  changed();
}

export function logOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  needsLogin = true;
  changed();
}

/** The node refused the credential (or there was none): show the login form. */
export function credentialRefused(): void {
  if (needsLogin) return;
  needsLogin = true;
  changed();
}

export function sessionState(): { needsLogin: boolean; hasKey: boolean; version: number } {
  return { needsLogin, hasKey: stored() !== null, version };
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
