/**
 * The message browser of one topic. The URL holds the whole view (partition, from, offset, ts,
 * key and value filters) so a link shows the same records: /console/topics/orders/messages?
 * partition=0&from=offset&offset=42. "newest" is the live tail; the others page through the log.
 */
import { useMemo, useState } from 'preact/hooks';
import { fetchTopic } from '../../api/topics';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { href, navigate, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { BrowseControls, type From, type Position } from './browse-controls';
import { PagesView } from './pages-view';
import { ProduceForm } from './produce-form';
import { TailView } from './tail-view';

function positionOf(query: URLSearchParams): Position {
  const from = (['newest', 'oldest', 'offset', 'timestamp'] as const).find((f) => f === query.get('from')) ?? 'newest';
  const partition = query.get('partition');
  const offset = query.get('offset');
  const ts = query.get('ts');
  return {
    partition: partition === null || partition === '' ? null : Number(partition),
    from,
    offset: offset === null ? null : Number(offset),
    timestampMs: ts === null ? null : Date.parse(ts),
  };
}

export function MessagesPage({ topic, query }: { topic: string; query: URLSearchParams }) {
  const detail = useAsync((signal) => fetchTopic(topic, signal), [topic]);
  const position = positionOf(query);
  const filter = useMemo(() => ({ key: query.get('key') ?? '', value: query.get('q') ?? '' }), [query.get('key'), query.get('q')]);
  const producing = query.get('produce') === '1';
  const [filterDraft, setFilterDraft] = useState(filter);

  const urlOf = (p: Position, extra: { key?: string; q?: string; produce?: boolean } = {}) =>
    href(`/topics/${segment(topic)}/messages`, {
      partition: p.partition,
      from: p.from,
      offset: p.from === 'offset' ? p.offset : null,
      ts: p.from === 'timestamp' && p.timestampMs !== null ? new Date(p.timestampMs).toISOString() : null,
      key: extra.key ?? filter.key,
      q: extra.q ?? filter.value,
      produce: (extra.produce ?? producing) && '1',
    });

  if (detail.error && !detail.data) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (detail.data === undefined) return <Loading what={`Loading ${topic}`} />;
  if (detail.data === null) {
    return (
      <Empty title={`There is no topic named “${topic}”.`}>
        <Link href={href('/topics')}>Back to the topics</Link>
      </Empty>
    );
  }
  const partitionCount = detail.data.partitionCount;
  const viewKey = `${position.partition}|${position.from}|${position.offset}|${position.timestampMs}`;
  const applyFilter = (event: Event) => {
    event.preventDefault();
    navigate(urlOf(position, { key: filterDraft.key, q: filterDraft.value }), { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Messages"
        crumbs={[
          { label: 'Topics', href: href('/topics') },
          { label: topic, href: href(`/topics/${segment(topic)}`) },
        ]}
      >
        <button type="button" class="btn" onClick={() => navigate(urlOf(position, { produce: !producing }), { replace: true })}>
          {producing ? 'Hide produce form' : 'Produce a record'}
        </button>
      </PageHeader>
      {producing && <ProduceForm topic={topic} partitionCount={partitionCount} />}
      <div class="card">
        <BrowseControls key={`controls|${viewKey}`} position={position} partitionCount={partitionCount} onGo={(p) => navigate(urlOf(p))} />
        <form class="toolbar" onSubmit={applyFilter} aria-label="Filter records">
          <input
            type="search"
            name="key"
            placeholder="Key contains…"
            aria-label="Filter by key"
            value={filterDraft.key}
            onInput={(e) => setFilterDraft({ ...filterDraft, key: e.currentTarget.value })}
          />
          <input
            type="search"
            name="q"
            class="grow"
            placeholder="Value contains…"
            aria-label="Filter by value"
            value={filterDraft.value}
            onInput={(e) => setFilterDraft({ ...filterDraft, value: e.currentTarget.value })}
          />
          <button type="submit" class="btn">
            Filter
          </button>
          {(filter.key || filter.value) && (
            <button
              type="button"
              class="btn ghost"
              onClick={() => {
                setFilterDraft({ key: '', value: '' });
                navigate(urlOf(position, { key: '', q: '' }), { replace: true });
              }}
            >
              Clear
            </button>
          )}
        </form>
        {position.from === 'newest' ? (
          <TailView key={viewKey} topic={topic} partition={position.partition} partitionCount={partitionCount} filter={filter} />
        ) : (
          <PagesView key={viewKey} topic={topic} position={position} partitionCount={partitionCount} filter={filter} />
        )}
      </div>
    </>
  );
}

export type { From };
