/** Consumer groups: state, members and total lag, with search (?q=). Polled every 3 s. */
import { fetchGroups, stateInWords } from '../../api/groups';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { formatCount } from '../../lib/format';
import { href, navigate, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

export function GroupsPage({ query }: { query: URLSearchParams }) {
  const search = query.get('q') ?? '';
  const groups = useAsync((signal) => fetchGroups(signal), [], 3_000);
  const needle = search.trim().toLowerCase();
  const shown = (groups.data ?? []).filter((g) => g.id.toLowerCase().includes(needle)).sort((a, b) => a.id.localeCompare(b.id));

  return (
    <>
      <PageHeader title="Consumer groups" />
      <div class="toolbar">
        <input
          type="search"
          placeholder="Search groups"
          aria-label="Search groups"
          value={search}
          onInput={(e) => navigate(href('/groups', { q: e.currentTarget.value }), { replace: true })}
        />
        {groups.data && (
          <span class="muted">
            {shown.length} of {groups.data.length}
          </span>
        )}
      </div>
      {groups.error && <ErrorBox compact={!!groups.data} error={groups.error} onRetry={groups.reload} />}
      {!groups.data ? (
        !groups.error && <Loading what="Loading consumer groups" />
      ) : groups.data.length === 0 ? (
        <Empty title="No consumer groups yet.">A group appears when a consumer subscribes with a group id or commits offsets.</Empty>
      ) : shown.length === 0 ? (
        <Empty title={`No group matches “${search}”.`} />
      ) : (
        <table class="table" data-testid="groups-table">
          <thead>
            <tr>
              <th>Group</th>
              <th>State</th>
              <th class="num">Members</th>
              <th class="num">Total lag</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((group) => (
              <tr key={group.id} data-group={group.id}>
                <td>
                  <Link href={href(`/groups/${segment(group.id)}`)}>{group.id}</Link>
                </td>
                <td>
                  <span class={`tag state-${group.state}`} data-testid="group-state">
                    {stateInWords(group.state)}
                  </span>
                </td>
                <td class="num">{group.members.length}</td>
                <td class={`num${group.totalLag > 0 ? ' warn-text' : ''}`} data-testid="group-lag">
                  {formatCount(group.totalLag)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
