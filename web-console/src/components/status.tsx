/** The three states every view has besides its content: loading, empty, and an error in words. */
import type { ComponentChildren } from 'preact';
import { errorInWords } from '../api/error-words';
import type { GraphQLRequestError } from '../api/graphql';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty" data-testid="empty">
      <strong>{title}</strong>
      {children && <div class="muted">{children}</div>}
    </div>
  );
}

export function ErrorBox({ error, onRetry, compact }: { error: GraphQLRequestError; onRetry?: () => void; compact?: boolean }) {
  return (
    <div class={`state state-error${compact ? ' compact' : ''}`} role="alert" data-code={error.code}>
      <div>
        <strong>{errorInWords(error.code)}</strong> <code class="code-badge">{error.code}</code>
      </div>
      {error.message && error.message !== errorInWords(error.code) && <div class="muted">{error.message}</div>}
      {onRetry && (
        <button type="button" class="btn small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
