/**
 * The open transactions that wrote to this topic (ONGOING or PREPARE_*; Query.transactions), with
 * their transactional id, producer id, epoch, state and age, and an Abort button per row that asks
 * for confirmation, then calls adminAbortTransaction (the producer is fenced; its records become
 * invisible to READ_COMMITTED readers). Polled every 3 s, like the groups on this page.
 */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { abortTransaction, fetchTopicTransactions, type TopicTransaction } from '../../api/transactions';
import { Confirm } from '../../components/confirm';
import { ErrorBox } from '../../components/status';
import { formatDuration } from '../../lib/format';
import { useAsync } from '../../lib/use-async';

const STATE_WORDS: Record<string, string> = { ONGOING: 'Ongoing', PREPARE_COMMIT: 'Committing', PREPARE_ABORT: 'Aborting' };

export function TopicTransactions({ topic }: { topic: string }) {
  const transactions = useAsync((signal) => fetchTopicTransactions(topic, signal), [topic], 3_000);
  const [confirming, setConfirming] = useState<TopicTransaction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);

  const abort = async (transaction: TopicTransaction) => {
    setBusy(true);
    setError(null);
    try {
      await abortTransaction(transaction.transactionalId);
      setConfirming(null);
      transactions.reload();
    } catch (reason) {
      setError(toRequestError(reason));
    } finally {
      setBusy(false);
    }
  };

  if (transactions.error && !transactions.data) return <ErrorBox compact error={transactions.error} onRetry={transactions.reload} />;
  if (!transactions.data) return <p class="muted">Loading…</p>;
  if (transactions.data.length === 0)
    return (
      <p class="muted" data-testid="topic-transactions-none">
        No transaction is open on this topic.
      </p>
    );
  const nowMs = Date.now();
  return (
    <>
      <table class="table" data-testid="topic-transactions">
        <thead>
          <tr>
            <th>Transactional id</th>
            <th class="num">Producer id</th>
            <th class="num">Epoch</th>
            <th>State</th>
            <th class="num">Age</th>
            <th>Partitions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {transactions.data.map((t) => (
            <tr key={t.transactionalId} data-transactional-id={t.transactionalId}>
              <td>
                <code>{t.transactionalId}</code>
              </td>
              <td class="num" data-testid="txn-producer-id">
                {t.producerId}
              </td>
              <td class="num" data-testid="txn-epoch">
                {t.epoch}
              </td>
              <td>
                <span class="tag" data-testid="txn-state" title={t.state}>
                  {STATE_WORDS[t.state] ?? t.state}
                </span>
              </td>
              <td class="num" data-testid="txn-age" title={`times out after ${formatDuration(t.timeoutMs)}`}>
                {t.startedAt ? formatDuration(Math.max(0, nowMs - Date.parse(t.startedAt))) : '—'}
              </td>
              <td>{t.partitionsHere.join(', ')}</td>
              <td class="num">
                <button
                  type="button"
                  class="btn danger small"
                  onClick={() => {
                    setConfirming(t);
                    setError(null);
                  }}
                >
                  Abort
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && (
        <Confirm
          title={`Abort transaction ${confirming.transactionalId}?`}
          confirmLabel={busy ? 'Aborting…' : 'Abort transaction'}
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void abort(confirming)}
        >
          <p>
            Its records are never shown to READ_COMMITTED readers, and producer {confirming.producerId} (epoch {confirming.epoch}) is
            fenced: it must call initProducer again.
          </p>
          {error && <ErrorBox compact error={error} />}
        </Confirm>
      )}
    </>
  );
}
