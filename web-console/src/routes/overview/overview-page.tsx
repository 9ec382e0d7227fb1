/**
 * The overview: nodes, topics, partitions, records, bytes, under-replicated partitions, and the
 * produce and consume rates with 5 minutes of chart. The node counts its traffic itself
 * (Cluster.rates, Cluster.rateHistory), so the first answer already has a rate over the last 10 s
 * and the charts' history: a rate derived here from two readings of a counter would read nothing
 * until the second poll, and committed offsets move only when a group commits (every 5 s with
 * auto-commit), which read as 0 in between. Polled every 2 s.
 */
import { fetchCluster, fetchTraffic, HISTORY_STEP_S, type RateSample } from '../../api/cluster';
import { fetchGroupTotals, stateInWords } from '../../api/groups';
import { fetchTopics } from '../../api/topics';
import { LineChart } from '../../components/chart';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Stat } from '../../components/stat';
import { ErrorBox, Loading } from '../../components/status';
import { formatBytes, formatCount, formatRate, formatRateValue } from '../../lib/format';
import { href, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

const POLL_MS = 2_000;

/** A history sample drawn at the middle of its interval. */
function series(history: RateSample[], pick: (sample: RateSample) => number): [number, number][] {
  return history.map((sample) => [sample.atMs + (HISTORY_STEP_S * 1_000) / 2, pick(sample)]);
}

export function OverviewPage() {
  const cluster = useAsync((signal) => fetchCluster(signal), [], 10_000);
  const topics = useAsync((signal) => fetchTopics(false, signal), [], POLL_MS);
  const traffic = useAsync((signal) => fetchTraffic(signal), [], POLL_MS);
  const groups = useAsync((signal) => fetchGroupTotals(signal), [], POLL_MS);
  const rates = traffic.data?.rates;
  const history = traffic.data?.history ?? [];
  // The x axis ends where the node's newest complete sample ends (its clock, not the browser's).
  const historyEnd = history.length ? history[history.length - 1]!.atMs + HISTORY_STEP_S * 1_000 : undefined;

  if (cluster.error && !cluster.data) return <ErrorBox error={cluster.error} onRetry={cluster.reload} />;
  if (!cluster.data || !topics.data)
    return topics.error ? <ErrorBox error={topics.error} onRetry={topics.reload} /> : <Loading what="Loading the cluster" />;

  const list = topics.data;
  const partitions = list.reduce((sum, t) => sum + t.partitionCount, 0);
  const underReplicated = list.reduce((sum, t) => sum + t.partitions.filter((p) => p.underReplicated).length, 0);
  const busiest = [...list].sort((a, b) => b.rates.produceRate - a.rates.produceRate || b.sizeBytes - a.sizeBytes).slice(0, 8);

  return (
    <>
      <PageHeader title="Overview">
        <span class="muted">
          cluster <code>{cluster.data.clusterId}</code> · Logway {cluster.data.version}
        </span>
      </PageHeader>
      {topics.error && <ErrorBox compact error={topics.error} />}
      <section class="stats" data-testid="overview-stats">
        <Stat label="Nodes" value={cluster.data.nodes.length} hint={`controller: node ${cluster.data.controllerId}`} />
        <Stat label="Topics" value={formatCount(list.length)} testId="stat-topics" />
        <Stat label="Partitions" value={formatCount(partitions)} />
        <Stat label="Records" value={formatCount(list.reduce((sum, t) => sum + t.messageCount, 0))} testId="stat-records" />
        <Stat label="Stored" value={formatBytes(list.reduce((sum, t) => sum + t.sizeBytes, 0))} />
        <Stat label="Under-replicated" value={formatCount(underReplicated)} tone={underReplicated > 0 ? 'warn' : 'ok'} hint="partitions" />
        <Stat
          label="Produce rate"
          value={formatRate(rates?.produceRate)}
          hint={`${formatRate(rates == null ? null : rates.produceBytesRate / 1024, 'KiB/s')} · last 10 s`}
          testId="stat-produce-rate"
        />
        <Stat
          label="Consume rate"
          value={formatRate(rates?.consumeRate)}
          hint={traffic.error ? traffic.error.code : 'by consumer groups'}
          testId="stat-consume-rate"
        />
      </section>
      <section class="grid-2">
        <div class="card">
          <LineChart
            points={series(history, (s) => s.produceRate)}
            nowMs={historyEnd}
            label="Produce rate, 5 s averages"
            unit="rec/s"
            format={formatRateValue}
          />
        </div>
        <div class="card">
          <LineChart
            points={series(history, (s) => s.consumeRate)}
            nowMs={historyEnd}
            label="Consume rate (consumer groups), 5 s averages"
            unit="rec/s"
            format={formatRateValue}
          />
        </div>
      </section>
      <section class="grid-3">
        <div class="card">
          <h2>Nodes</h2>
          <table class="table">
            <thead>
              <tr>
                <th>Node</th>
                <th>Address</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {cluster.data.nodes.map((node) => (
                <tr key={node.nodeId}>
                  <td>{node.nodeId}</td>
                  <td>
                    <code>
                      {node.host}:{node.port}
                    </code>
                  </td>
                  <td>{node.isController ? 'controller' : 'broker'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="card">
          <h2>Busiest topics</h2>
          {busiest.length === 0 ? (
            <p class="muted">
              No topics yet. <Link href={href('/topics', { create: 1 })}>Create one</Link>.
            </p>
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th class="num">Rate</th>
                  <th class="num">Records</th>
                  <th class="num">Size</th>
                </tr>
              </thead>
              <tbody>
                {busiest.map((topic) => (
                  <tr key={topic.name}>
                    <td>
                      <Link href={href(`/topics/${segment(topic.name)}`)}>{topic.name}</Link>
                    </td>
                    <td class="num">{formatRate(topic.rates.produceRate)}</td>
                    <td class="num">{formatCount(topic.messageCount)}</td>
                    <td class="num">{formatBytes(topic.sizeBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div class="card">
          <h2>Consumer groups</h2>
          {!groups.data ? (
            <p class="muted">{groups.error ? groups.error.code : 'Loading…'}</p>
          ) : groups.data.length === 0 ? (
            <p class="muted">No consumer groups yet.</p>
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th>Group</th>
                  <th>State</th>
                  <th class="num">Lag</th>
                </tr>
              </thead>
              <tbody>
                {[...groups.data]
                  .sort((a, b) => b.totalLag - a.totalLag || a.id.localeCompare(b.id))
                  .slice(0, 8)
                  .map((group) => (
                    <tr key={group.id}>
                      <td>
                        <Link href={href(`/groups/${segment(group.id)}`)}>{group.id}</Link>
                      </td>
                      <td>{stateInWords(group.state)}</td>
                      <td class={`num${group.totalLag > 0 ? ' warn-text' : ''}`}>{formatCount(group.totalLag)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </div>
      </section>
    </>
  );
}
