/**
 * The topic list: search by name (in the URL, ?q=), internal topics on demand (?internal=1), the
 * create form (?create=1). Polled every 3 s so counts and sizes stay current.
 */
import { fetchTopics } from '../../api/topics';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { formatBytes, formatCount } from '../../lib/format';
import { href, navigate, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { CreateTopicForm } from './create-topic-form';

export function TopicsPage({ query }: { query: URLSearchParams }) {
  const search = query.get('q') ?? '';
  const internal = query.get('internal') === '1';
  const creating = query.get('create') === '1';
  const topics = useAsync((signal) => fetchTopics(internal, signal), [internal], 3_000);
  const state = { q: search, internal: internal && 1, create: creating && 1 };
  const go = (patch: Record<string, string | number | false>, replace = true) =>
    navigate(href('/topics', { ...state, ...patch }), { replace });

  const needle = search.trim().toLowerCase();
  const shown = (topics.data ?? []).filter((t) => t.name.toLowerCase().includes(needle)).sort((a, b) => a.name.localeCompare(b.name));

  return (
    <>
      <PageHeader title="Topics">
        <button type="button" class="btn primary" onClick={() => go({ create: creating ? false : 1 }, false)}>
          Create topic
        </button>
      </PageHeader>
      {creating && (
        <CreateTopicForm onCancel={() => go({ create: false })} onCreated={(name) => navigate(href(`/topics/${segment(name)}`))} />
      )}
      <div class="toolbar">
        <input
          type="search"
          placeholder="Search topics"
          aria-label="Search topics"
          value={search}
          onInput={(e) => go({ q: e.currentTarget.value })}
        />
        <label class="check">
          <input type="checkbox" checked={internal} onChange={(e) => go({ internal: e.currentTarget.checked && 1 })} /> show internal topics
        </label>
        {topics.data && (
          <span class="muted">
            {shown.length} of {topics.data.length}
          </span>
        )}
      </div>
      {topics.error && <ErrorBox compact={!!topics.data} error={topics.error} onRetry={topics.reload} />}
      {!topics.data ? (
        !topics.error && <Loading what="Loading topics" />
      ) : topics.data.length === 0 ? (
        <Empty title="No topics yet.">Create the first one with the button above.</Empty>
      ) : shown.length === 0 ? (
        <Empty title={`No topic matches “${search}”.`} />
      ) : (
        <table class="table" data-testid="topics-table">
          <thead>
            <tr>
              <th>Name</th>
              <th class="num">Partitions</th>
              <th class="num">Replication</th>
              <th class="num">Records</th>
              <th class="num">Size</th>
              <th class="num">Under-replicated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((topic) => {
              const under = topic.partitions.filter((p) => p.underReplicated).length;
              return (
                <tr key={topic.name}>
                  <td>
                    <Link href={href(`/topics/${segment(topic.name)}`)}>{topic.name}</Link>
                    {topic.internal && <span class="tag">internal</span>}
                  </td>
                  <td class="num">{topic.partitionCount}</td>
                  <td class="num">{topic.replicationFactor}</td>
                  <td class="num">{formatCount(topic.messageCount)}</td>
                  <td class="num">{formatBytes(topic.sizeBytes)}</td>
                  <td class={`num${under ? ' warn-text' : ''}`}>{under}</td>
                  <td class="num">
                    <Link href={href(`/topics/${segment(topic.name)}/messages`)}>Messages</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
