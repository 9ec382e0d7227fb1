/**
 * The consumer groups reading this topic (Topic.consumerGroups: a member subscribed to it or
 * committed offsets on it), with their state, members on this topic and lag on this topic.
 * Polled every 3 s, like the groups list.
 */
import { fetchTopicGroups, stateInWords } from '../../api/groups';
import { Link } from '../../components/link';
import { ErrorBox } from '../../components/status';
import { formatCount } from '../../lib/format';
import { href, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

export function TopicGroups({ topic }: { topic: string }) {
  const groups = useAsync((signal) => fetchTopicGroups(topic, signal), [topic], 3_000);
  if (groups.error && !groups.data) return <ErrorBox compact error={groups.error} onRetry={groups.reload} />;
  if (!groups.data) return <p class="muted">Loading…</p>;
  if (groups.data.length === 0) return <p class="muted">No consumer group reads this topic.</p>;
  return (
    <table class="table" data-testid="topic-groups">
      <thead>
        <tr>
          <th>Group</th>
          <th>State</th>
          <th class="num">Members here</th>
          <th class="num">Committed partitions</th>
          <th class="num">Lag</th>
        </tr>
      </thead>
      <tbody>
        {groups.data.map((g) => {
          const members = g.members.filter((m) => m.assignment.some((a) => a.topic === topic)).length;
          const committed = g.offsets.filter((o) => o.committedOffset !== null).length;
          const lag = g.offsets.reduce((sum, o) => sum + o.lag, 0);
          return (
            <tr key={g.id} data-group={g.id}>
              <td>
                <Link href={href(`/groups/${segment(g.id)}`)}>{g.id}</Link>
              </td>
              <td>
                <span class={`tag state-${g.state}`}>{stateInWords(g.state)}</span>
              </td>
              <td class="num">{members}</td>
              <td class="num">{committed}</td>
              <td class={`num${lag > 0 ? ' warn-text' : ''}`} data-testid="topic-group-lag">
                {formatCount(lag)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
