/**
 * Quotas: every principal's producer and consumer byte rate (Kafka's producer_byte_rate /
 * consumer_byte_rate; `User:*` is the default), a form to set one and a button to remove it.
 * Listing needs DESCRIBE on the cluster and changing ALTER; without them the node answers
 * CLUSTER_AUTHORIZATION_FAILED, shown in words. A principal over its quota is slowed, not refused.
 */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { deleteQuota, fetchQuotas, setQuota } from '../../api/quotas';
import { formatBytes } from '../../lib/format';
import { PageHeader } from '../../components/layout';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { useAsync } from '../../lib/use-async';

export function QuotasPage() {
  const quotas = useAsync((signal) => fetchQuotas(signal), []);
  const [actionError, setActionError] = useState<GraphQLRequestError | null>(null);
  const remove = async (principal: string) => {
    setActionError(null);
    try {
      await deleteQuota(principal);
      quotas.reload();
    } catch (error) {
      setActionError(toRequestError(error));
    }
  };
  return (
    <>
      <PageHeader title="Quotas" />
      {actionError && <ErrorBox compact error={actionError} />}
      <section class="card" aria-label="Client quotas">
        <h2>Client quotas</h2>
        <p class="muted">
          A principal over its byte rate is slowed down (its answers and deliveries are held back), never refused. <code>User:*</code>{' '}
          applies to principals without a quota of their own.
        </p>
        <SetQuotaForm onSet={quotas.reload} />
        {quotas.error && <ErrorBox compact error={quotas.error} onRetry={quotas.reload} />}
        {!quotas.data ? (
          !quotas.error && <Loading what="Loading quotas" />
        ) : quotas.data.length === 0 ? (
          <Empty title="No quotas: every principal is unlimited." />
        ) : (
          <table class="table" data-testid="quotas">
            <thead>
              <tr>
                <th>Principal</th>
                <th class="num">Produce</th>
                <th class="num">Consume</th>
                <th>Updated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {quotas.data.map((q) => (
                <tr key={q.principal} data-principal={q.principal}>
                  <td>{q.principal}</td>
                  <td class="num" data-field="producerByteRate">
                    {rate(q.producerByteRate)}
                  </td>
                  <td class="num" data-field="consumerByteRate">
                    {rate(q.consumerByteRate)}
                  </td>
                  <td>{new Date(String(q.updatedAt)).toLocaleString()}</td>
                  <td class="num">
                    <button type="button" class="btn small danger" onClick={() => remove(q.principal)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function rate(bytesPerS: unknown): string {
  return bytesPerS === null || bytesPerS === undefined ? 'unlimited' : `${formatBytes(Number(bytesPerS))}/s (${Number(bytesPerS)} B/s)`;
}

/** An empty rate field means unlimited; anything else must be a whole number of bytes per second. */
function parseRate(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^[1-9][0-9]*$/.test(trimmed) ? Number(trimmed) : 'invalid';
}

function SetQuotaForm({ onSet }: { onSet(): void }) {
  const [principal, setPrincipal] = useState('User:');
  const [produce, setProduce] = useState('');
  const [consume, setConsume] = useState('');
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const producerByteRate = parseRate(produce);
    const consumerByteRate = parseRate(consume);
    if (producerByteRate === 'invalid' || consumerByteRate === 'invalid') {
      setInvalid('A byte rate is a whole number of bytes per second above 0, or empty for unlimited.');
      return;
    }
    setInvalid(null);
    try {
      await setQuota(principal.trim(), producerByteRate, consumerByteRate);
      onSet();
    } catch (failure) {
      setError(toRequestError(failure));
    }
  };
  return (
    <form class="form" onSubmit={submit} aria-label="Set quota">
      <div class="form-grid">
        <label class="field">
          <span>Principal</span>
          <input name="principal" required value={principal} onInput={(e) => setPrincipal(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Produce bytes/s</span>
          <input
            name="producerByteRate"
            inputMode="numeric"
            placeholder="unlimited"
            value={produce}
            onInput={(e) => setProduce(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Consume bytes/s</span>
          <input
            name="consumerByteRate"
            inputMode="numeric"
            placeholder="unlimited"
            value={consume}
            onInput={(e) => setConsume(e.currentTarget.value)}
          />
        </label>
      </div>
      <div class="row end">
        <button type="submit" class="btn primary">
          Set quota
        </button>
      </div>
      {invalid && (
        <div class="state state-error compact" role="alert" data-code="BAD_USER_INPUT">
          {invalid}
        </div>
      )}
      {error && <ErrorBox compact error={error} />}
    </form>
  );
}
