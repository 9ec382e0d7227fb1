/** The create-topic form: name, partitions, replication factor and config overrides. */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { createTopic } from '../../api/topics';
import { ConfigRows, type ConfigRow } from '../../components/config-rows';
import { ErrorBox } from '../../components/status';

export function CreateTopicForm({ onCreated, onCancel }: { onCreated(name: string): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [replicationFactor, setReplicationFactor] = useState('1');
  const [configs, setConfigs] = useState<ConfigRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await createTopic({
        name: name.trim(),
        partitions: Number(partitions),
        replicationFactor: Number(replicationFactor),
        configs: configs.filter((c) => c.key.trim()).map((c) => ({ key: c.key.trim(), value: c.value })),
      });
      onCreated(created);
    } catch (reason) {
      setError(toRequestError(reason));
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-label="Create topic">
      <h2>Create a topic</h2>
      <div class="form-grid">
        <label class="field">
          <span>Name</span>
          <input name="name" required autoFocus value={name} placeholder="orders" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Partitions</span>
          <input
            name="partitions"
            type="number"
            min="1"
            required
            value={partitions}
            onInput={(e) => setPartitions(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Replication factor</span>
          <input
            name="replicationFactor"
            type="number"
            min="1"
            required
            value={replicationFactor}
            onInput={(e) => setReplicationFactor(e.currentTarget.value)}
          />
        </label>
      </div>
      <div class="field">
        <span>Configs (overrides of the defaults)</span>
        <ConfigRows rows={configs} onChange={setConfigs} />
      </div>
      {error && <ErrorBox compact error={error} />}
      <div class="row end">
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="btn primary" disabled={busy || !name.trim()}>
          {busy ? 'Creating…' : 'Create topic'}
        </button>
      </div>
    </form>
  );
}
