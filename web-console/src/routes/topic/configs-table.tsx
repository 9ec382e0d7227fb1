/** A topic's configs: every key with its value (defaults greyed), editable one at a time. */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { alterTopicConfig, type ConfigEntry, type TopicDetail } from '../../api/topics';
import { ErrorBox } from '../../components/status';
import { configInUnits } from '../../lib/config-units';

export function ConfigsTable({
  topic,
  configs,
  onChanged,
}: {
  topic: string;
  configs: ConfigEntry[];
  onChanged(topic: TopicDetail): void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);

  const save = async (key: string, value: string | null) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await alterTopicConfig(topic, [{ key, value }]));
      setEditing(null);
    } catch (reason) {
      setError(toRequestError(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && <ErrorBox compact error={error} />}
      <table class="table configs" data-testid="configs-table">
        <thead>
          <tr>
            <th>Key</th>
            <th>Value</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {[...configs]
            .sort((a, b) => a.key.localeCompare(b.key))
            .map((entry) => (
              <tr key={entry.key} class={entry.isDefault ? 'default-config' : ''} data-key={entry.key}>
                <td title={entry.doc ?? undefined}>
                  <code>{entry.key}</code>
                  {entry.doc && <div class="muted small">{entry.doc}</div>}
                </td>
                <td>
                  {editing === entry.key ? (
                    <form
                      class="row"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void save(entry.key, draft);
                      }}
                    >
                      <input
                        autoFocus
                        value={draft}
                        aria-label={`Value of ${entry.key}`}
                        onInput={(e) => setDraft(e.currentTarget.value)}
                      />
                      <button type="submit" class="btn small primary" disabled={busy}>
                        Save
                      </button>
                      <button type="button" class="btn small" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <>
                      <code>{entry.value ?? 'null'}</code>
                      {configInUnits(entry.key, entry.value) && (
                        <span class="muted" data-testid="config-units">
                          {' '}
                          ({configInUnits(entry.key, entry.value)})
                        </span>
                      )}
                      {entry.isDefault ? <span class="tag">default</span> : <span class="tag accent">override</span>}
                    </>
                  )}
                </td>
                <td class="num nowrap">
                  {editing !== entry.key && (
                    <button
                      type="button"
                      class="btn small ghost"
                      onClick={() => {
                        setEditing(entry.key);
                        setDraft(entry.value ?? '');
                        setError(null);
                      }}
                    >
                      Edit
                    </button>
                  )}
                  {!entry.isDefault && editing !== entry.key && (
                    <button type="button" class="btn small ghost" disabled={busy} onClick={() => void save(entry.key, null)}>
                      Reset to default
                    </button>
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}
