/**
 * One consumer group, pushed live by the groupLag subscription: state, members and their
 * assignments, committed offset / high watermark / lag / time lag per partition, a chart of total
 * lag over time, and resetting offsets.
 */
import { useEffect, useState } from 'preact/hooks';
import type { GraphQLRequestError } from '../../api/graphql';
import { fetchGroup, stateInWords, watchGroup, type ConsumerGroup } from '../../api/groups';
import { CHART_SPAN_MS, LineChart } from '../../components/chart';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Stat } from '../../components/stat';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { formatCount, formatDuration } from '../../lib/format';
import { pushPoint } from '../../lib/rate';
import { href, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { ResetOffsetsForm } from './reset-offsets-form';

/** The chart gets a point on every push and at least every 2 s, so time moves even when lag does
 *  not; it shows the last 5 minutes this page has seen (the node keeps no lag history). */
const SAMPLE_MS = 2_000;

function useLiveGroup(id: string, initial: ConsumerGroup | null | undefined) {
  const [group, setGroup] = useState<ConsumerGroup | null>(null);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [series, setSeries] = useState<[number, number][]>([]);
  const current = group ?? initial ?? null;

  useEffect(() => {
    if (!initial) return;
    setSeries((s) => pushPoint(s, [Date.now(), initial.totalLag]));
    return watchGroup(id, {
      next: (next) => {
        setGroup(next);
        setError(null);
        setSeries((s) => pushPoint(s, [Date.now(), next.totalLag]));
      },
      error: setError,
    });
  }, [id, !!initial]);

  useEffect(() => {
    if (!current) return;
    const timer = setInterval(() => setSeries((s) => pushPoint(s, [Date.now(), current.totalLag])), SAMPLE_MS);
    return () => clearInterval(timer);
  }, [current?.totalLag, !!current]);

  return { group: current, live: group !== null, error, series };
}

export function GroupPage({ id }: { id: string }) {
  const initial = useAsync((signal) => fetchGroup(id, signal), [id]);
  const { group, live, error, series } = useLiveGroup(id, initial.data);

  if (initial.error && !initial.data) return <ErrorBox error={initial.error} onRetry={initial.reload} />;
  if (initial.data === undefined) return <Loading what={`Loading ${id}`} />;
  if (!group) {
    return (
      <Empty title={`There is no consumer group named “${id}”.`}>
        <Link href={href('/groups')}>Back to the groups</Link>
      </Empty>
    );
  }
  const offsets = [...group.offsets].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const owner = new Map<string, string>();
  for (const member of group.members)
    for (const a of member.assignment) for (const p of a.partitions) owner.set(`${a.topic}:${p}`, member.clientId ?? member.memberId);
  let maxTimeLag: number | null = null;
  for (const o of offsets) {
    if (o.timeLagMs != null) maxTimeLag = Math.max(maxTimeLag ?? 0, o.timeLagMs);
  }

  return (
    <>
      <PageHeader title={group.id} crumbs={[{ label: 'Consumer groups', href: href('/groups') }]}>
        <span class={`badge ${live ? 'live' : ''}`} data-testid="group-live">
          {live ? 'live' : 'snapshot'}
        </span>
      </PageHeader>
      {error && <ErrorBox compact error={error} />}
      <section class="stats">
        <Stat
          label="State"
          value={<span data-testid="group-state">{stateInWords(group.state)}</span>}
          hint={`generation ${group.generation}${group.protocol ? ` · ${group.protocol}` : ''}`}
        />
        <Stat label="Members" value={group.members.length} />
        <Stat
          label="Total lag"
          value={<span data-testid="total-lag">{formatCount(group.totalLag)}</span>}
          tone={group.totalLag > 0 ? 'warn' : 'ok'}
          hint="records"
        />
        <Stat label="Max time lag" value={formatDuration(maxTimeLag)} hint="age of the oldest unconsumed record" />
      </section>
      <section class="grid-2 wide-left">
        <div class="card">
          <h2>Lag per partition</h2>
          {offsets.length === 0 ? (
            <p class="muted">No committed offsets yet.</p>
          ) : (
            <table class="table" data-testid="group-offsets">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th class="num">Partition</th>
                  <th>Member</th>
                  <th class="num">Committed</th>
                  <th class="num">High watermark</th>
                  <th class="num">Log end</th>
                  <th class="num">Lag</th>
                  <th class="num">Time lag</th>
                </tr>
              </thead>
              <tbody>
                {offsets.map((o) => {
                  const idKey = `${o.topic}:${o.partition}`;
                  return (
                    <tr key={idKey} data-partition={o.partition} data-topic={o.topic}>
                      <td>
                        <Link href={href(`/topics/${segment(o.topic)}`)}>{o.topic}</Link>
                      </td>
                      <td class="num">{o.partition}</td>
                      <td class="ellipsis">{owner.get(idKey) ?? <span class="muted">unassigned</span>}</td>
                      <td class="num" data-testid="committed">
                        {o.committedOffset === null ? (
                          '—'
                        ) : (
                          <Link
                            href={href(`/topics/${segment(o.topic)}/messages`, {
                              partition: o.partition,
                              from: 'offset',
                              offset: o.committedOffset,
                            })}
                          >
                            {formatCount(o.committedOffset)}
                          </Link>
                        )}
                      </td>
                      <td class="num">{formatCount(o.highWatermark)}</td>
                      <td class="num">{formatCount(o.logEndOffset)}</td>
                      <td class={`num${o.lag > 0 ? ' warn-text' : ''}`} data-testid="lag">
                        {formatCount(o.lag)}
                      </td>
                      <td class="num" data-testid="time-lag">
                        {formatDuration(o.timeLagMs)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
        <div class="card">
          <LineChart
            points={series}
            nowMs={series[series.length - 1]?.[0]}
            now={group.totalLag}
            spanMs={CHART_SPAN_MS}
            label="Total lag"
            unit="records"
            height={120}
          />
        </div>
      </section>
      <section class="grid-2">
        <div class="card">
          <h2>Members</h2>
          {group.members.length === 0 ? (
            <p class="muted">No active members.</p>
          ) : (
            <table class="table" data-testid="group-members">
              <thead>
                <tr>
                  <th>Member</th>
                  <th>Client</th>
                  <th>Host</th>
                  <th>Assignment</th>
                </tr>
              </thead>
              <tbody>
                {group.members.map((m) => (
                  <tr key={m.memberId}>
                    <td class="ellipsis">
                      <code>{m.memberId}</code>
                    </td>
                    <td>{m.clientId ?? '—'}</td>
                    <td>{m.host ?? '—'}</td>
                    <td>{m.assignment.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div class="card">
          <h2>Reset offsets</h2>
          <ResetOffsetsForm group={group} />
        </div>
      </section>
    </>
  );
}
