/** Adding partitions and deleting the topic (with type-the-name confirmation). */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { createPartitions, deleteTopic, type TopicDetail } from '../../api/topics';
import { Confirm } from '../../components/confirm';
import { ErrorBox } from '../../components/status';
import { formatCount } from '../../lib/format';
import { href, navigate } from '../../lib/router';

export function TopicActions({ topic, onChanged }: { topic: TopicDetail; onChanged(topic: TopicDetail): void }) {
  const [dialog, setDialog] = useState<'delete' | 'partitions' | null>(null);
  const [count, setCount] = useState(String(topic.partitionCount + 1));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setDialog(null);
    } catch (reason) {
      setError(toRequestError(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        class="btn"
        onClick={() => {
          setDialog('partitions');
          setError(null);
        }}
      >
        Add partitions
      </button>
      <button
        type="button"
        class="btn danger"
        onClick={() => {
          setDialog('delete');
          setError(null);
        }}
      >
        Delete topic
      </button>
      {dialog === 'delete' && (
        <Confirm
          title={`Delete topic ${topic.name}?`}
          confirmLabel={busy ? 'Deleting…' : 'Delete topic'}
          typeToConfirm={topic.name}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            void run(async () => {
              await deleteTopic(topic.name);
              navigate(href('/topics'));
            })
          }
        >
          <p>
            Its {topic.partitionCount} partitions and {formatCount(topic.messageCount)} records are deleted from every node. This cannot be
            undone.
          </p>
          {error && <ErrorBox compact error={error} />}
        </Confirm>
      )}
      {dialog === 'partitions' && (
        <div class="modal-backdrop">
          <form
            class="modal"
            aria-label="Add partitions"
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => onChanged(await createPartitions(topic.name, Number(count))));
            }}
          >
            <h2>Add partitions to {topic.name}</h2>
            <p class="muted">
              Partitions can only be added. Keys map to partitions by hash, so records with the same key may land elsewhere afterwards.
            </p>
            <label class="field">
              <span>New partition count (now {topic.partitionCount})</span>
              <input type="number" min={topic.partitionCount + 1} value={count} onInput={(e) => setCount(e.currentTarget.value)} />
            </label>
            {error && <ErrorBox compact error={error} />}
            <div class="row end">
              <button type="button" class="btn" onClick={() => setDialog(null)}>
                Cancel
              </button>
              <button type="submit" class="btn primary" disabled={busy}>
                Add partitions
              </button>
            </div>
          </form>
        </div>
      )}
    </>
  );
}
