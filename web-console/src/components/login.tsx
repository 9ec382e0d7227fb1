/**
 * The login form shown when the node requires auth (it answered UNAUTHENTICATED), and the
 * principal in the header. The key goes to sessionStorage only (api/session.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { WhoamiDocument } from '../api/generated/operations';
import { request } from '../api/graphql';
import { logIn, logOut, onSessionChange, sessionState } from '../api/session';

export function useSession(): ReturnType<typeof sessionState> {
  const [state, setState] = useState(sessionState);
  useEffect(() => onSessionChange(() => setState(sessionState())), []);
  return state;
}

export function LoginForm({ refused }: { refused: boolean }) {
  const [key, setKey] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    if (key.trim()) logIn(key);
  };
  return (
    <form class="card form login" onSubmit={submit} aria-label="Log in">
      <h2>Log in</h2>
      <p class="muted">
        This node requires authentication. Paste an API key (from <code>logway keys create</code>); it is kept in this tab only.
      </p>
      {refused && (
        <div class="state state-error compact" role="alert" data-code="UNAUTHENTICATED">
          The node did not accept the key.
        </div>
      )}
      <label class="field">
        <span>API key</span>
        <input
          name="apiKey"
          type="password"
          autoComplete="off"
          required
          autoFocus
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
      </label>
      <div class="row end">
        <button type="submit" class="btn primary" disabled={!key.trim()}>
          Log in
        </button>
      </div>
    </form>
  );
}

/** `User:alice` and a log-out button, once a key is in use. */
export function WhoAmI() {
  const session = useSession();
  const [principal, setPrincipal] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    request(WhoamiDocument, {}, controller.signal).then(
      (data) => setPrincipal(data.whoami),
      () => setPrincipal(null),
    );
    return () => controller.abort();
  }, [session.version]);
  if (!principal || principal === 'User:ANONYMOUS') return null;
  return (
    <span class="whoami" data-testid="whoami">
      {principal}
      {session.hasKey && (
        <button type="button" class="btn small" onClick={logOut}>
          Log out
        </button>
      )}
    </span>
  );
}
