/** Produce one record from the browser: key, value, headers and an optional partition. */
import { useState } from 'preact/hooks';
import { toRequestError, type GraphQLRequestError } from '../../api/graphql';
import { produceRecords, type ProducedRecord } from '../../api/records';
import { Link } from '../../components/link';
import { ErrorBox } from '../../components/status';
import { href, segment } from '../../lib/router';

interface HeaderRow {
  key: string;
  value: string;
}

export function ProduceForm({ topic, partitionCount }: { topic: string; partitionCount: number }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [partition, setPartition] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [produced, setProduced] = useState<ProducedRecord | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const [result] = await produceRecords(topic, [
        {
          key: key === '' ? null : key,
          value,
          headers: headers.filter((h) => h.key !== '').map((h) => ({ key: h.key, value: h.value })),
          partition: partition === '' ? null : Number(partition),
        },
      ]);
      setProduced(result ?? null);
    } catch (reason) {
      setError(toRequestError(reason));
    } finally {
      setBusy(false);
    }
  };
  const setHeader = (index: number, patch: Partial<HeaderRow>) => setHeaders(headers.map((h, i) => (i === index ? { ...h, ...patch } : h)));

  return (
    <form class="card form produce" onSubmit={submit} aria-label="Produce a record">
      <h2>Produce a record</h2>
      <div class="form-grid">
        <label class="field">
          <span>Key</span>
          <input name="key" value={key} placeholder="(no key)" onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Partition</span>
          <select name="partition" value={partition} onChange={(e) => setPartition(e.currentTarget.value)}>
            <option value="">by key hash / sticky</option>
            {Array.from({ length: partitionCount }, (_, i) => (
              <option key={i} value={String(i)}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label class="field">
        <span>Value</span>
        <textarea name="value" rows={4} value={value} placeholder='{"hello": "world"}' onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <div class="field">
        <span>Headers</span>
        {headers.map((header, index) => (
          <div class="row" key={index}>
            <input
              placeholder="header key"
              aria-label={`Header key ${index + 1}`}
              value={header.key}
              onInput={(e) => setHeader(index, { key: e.currentTarget.value })}
            />
            <input
              placeholder="value"
              aria-label={`Header value ${index + 1}`}
              value={header.value}
              onInput={(e) => setHeader(index, { value: e.currentTarget.value })}
            />
            <button
              type="button"
              class="btn small ghost"
              aria-label="Remove header"
              onClick={() => setHeaders(headers.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        ))}
        <div>
          <button type="button" class="btn small" onClick={() => setHeaders([...headers, { key: '', value: '' }])}>
            + Add header
          </button>
        </div>
      </div>
      {error && <ErrorBox compact error={error} />}
      <div class="row end">
        {produced && (
          <span class="ok-text" data-testid="produced">
            Produced to partition {produced.partition} at offset {produced.offset}.{' '}
            <Link
              href={href(`/topics/${segment(topic)}/messages`, { partition: produced.partition, from: 'offset', offset: produced.offset })}
            >
              Show it
            </Link>
          </span>
        )}
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? 'Producing…' : 'Produce'}
        </button>
      </div>
    </form>
  );
}
