/**
 * The overview: nodes, topics, partitions, records, bytes, under-replicated partitions, and the
 * produce and consume rates. Rates come from successive readings polled every 2 s: the sum of
 * high watermarks (records produced), of sizes (bytes in), and of committed offsets (records
 * consumed by groups), over a 10 s window.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchCluster } from '../../api/cluster';
import { fetchGroupTotals, stateInWords, type GroupTotals } from '../../api/groups';
import { fetchTopics, type TopicSummary } from '../../api/topics';
import type { GraphQLRequestError } from '../../api/graphql';
import { LineChart } from '../../components/chart';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Stat } from '../../components/stat';
import { ErrorBox, Loading } from '../../components/status';
import { formatBytes, formatCount, formatRate } from '../../lib/format';
import { pushPoint, RateMeter } from '../../lib/rate';
import { href, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

const POLL_MS = 2_000;

interface Rates {
  produce: number | null;
  bytesIn: number | null;
  consume: number | null;
  consumeError: GraphQLRequestError | null;
  groups: GroupTotals['groups'] | null;
  perTopic: Map<string, number | null>;
  produceSeries: [number, number][];
  consumeSeries: [number, number][];
}

function useRates(topics: TopicSummary[] | undefined): Rates {
  const meters = useRef({ produce: new RateMeter(), bytesIn: new RateMeter(), consume: new RateMeter(), perTopic: new Map<string, RateMeter>() });
  const [rates, setRates] = useState<Rates>({ produce: null, bytesIn: null, consume: null, consumeError: null, groups: null, perTopic: new Map(), produceSeries: [], consumeSeries: [] });

  useEffect(() => {
    if (!topics) return;
    const now = performance.now();
    const m = meters.current;
    let produced = 0;
    let bytes = 0;
    const perTopic = new Map<string, number | null>();
    for (const topic of topics) {
      const watermarks = topic.partitions.reduce((sum, p) => sum + p.highWatermark, 0);
      produced += watermarks;
      bytes += topic.sizeBytes;
      let meter = m.perTopic.get(topic.name);
      if (!meter) m.perTopic.set(topic.name, (meter = new RateMeter()));
      meter.add(watermarks, now);
      perTopic.set(topic.name, meter.perSecond());
    }
    m.produce.add(produced, now);
    m.bytesIn.add(bytes, now);
    const controller = new AbortController();
    fetchGroupTotals(controller.signal).then(
      (totals) => {
        m.consume.add(totals.committedTotal, now);
        update(null, totals.groups);
      },
      (error) => update(error, null),
    );
    function update(consumeError: GraphQLRequestError | null, groups: GroupTotals['groups'] | null) {
      if (controller.signal.aborted) return;
      setRates((prev) => {
        const produce = m.produce.perSecond();
        const consume = consumeError ? null : m.consume.perSecond();
        return {
          produce,
          bytesIn: m.bytesIn.perSecond(),
          consume,
          consumeError,
          groups,
          perTopic,
          produceSeries: produce == null ? prev.produceSeries : pushPoint(prev.produceSeries, [Date.now(), produce]),
          consumeSeries: consume == null ? prev.consumeSeries : pushPoint(prev.consumeSeries, [Date.now(), consume]),
        };
      });
    }
    return () => controller.abort();
  }, [topics]);
  return rates;
}

export function OverviewPage() {
  const cluster = useAsync((signal) => fetchCluster(signal), [], 10_000);
  const topics = useAsync((signal) => fetchTopics(false, signal), [], POLL_MS);
  const rates = useRates(topics.data);

  if (cluster.error && !cluster.data) return <ErrorBox error={cluster.error} onRetry={cluster.reload} />;
  if (!cluster.data || !topics.data) return topics.error ? <ErrorBox error={topics.error} onRetry={topics.reload} /> : <Loading what="Loading the cluster" />;

  const list = topics.data;
  const partitions = list.reduce((sum, t) => sum + t.partitionCount, 0);
  const underReplicated = list.reduce((sum, t) => sum + t.partitions.filter((p) => p.underReplicated).length, 0);
  const busiest = [...list].sort((a, b) => (rates.perTopic.get(b.name) ?? 0) - (rates.perTopic.get(a.name) ?? 0) || b.sizeBytes - a.sizeBytes).slice(0, 8);

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
        <Stat label="Produce rate" value={formatRate(rates.produce)} hint={formatRate(rates.bytesIn == null ? null : rates.bytesIn / 1024, 'KiB/s')} testId="stat-produce-rate" />
        <Stat label="Consume rate" value={formatRate(rates.consume)} hint={rates.consumeError ? rates.consumeError.code : 'by consumer groups'} testId="stat-consume-rate" />
      </section>
      <section class="grid-2">
        <div class="card">
          <LineChart points={rates.produceSeries} label="produce rate (rec/s)" />
        </div>
        <div class="card">
          <LineChart points={rates.consumeSeries} label="consume rate (rec/s)" />
        </div>
      </section>
      <section class="grid-3">
        <div class="card">
          <h2>Nodes</h2>
          <table class="table">
            <thead>
              <tr><th>Node</th><th>Address</th><th>Role</th></tr>
            </thead>
            <tbody>
              {cluster.data.nodes.map((node) => (
                <tr key={node.nodeId}>
                  <td>{node.nodeId}</td>
                  <td><code>{node.host}:{node.port}</code></td>
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
                <tr><th>Topic</th><th class="num">Rate</th><th class="num">Records</th><th class="num">Size</th></tr>
              </thead>
              <tbody>
                {busiest.map((topic) => (
                  <tr key={topic.name}>
                    <td><Link href={href(`/topics/${segment(topic.name)}`)}>{topic.name}</Link></td>
                    <td class="num">{formatRate(rates.perTopic.get(topic.name))}</td>
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
          {rates.groups === null ? (
            <p class="muted">{rates.consumeError ? rates.consumeError.code : 'Loading…'}</p>
          ) : rates.groups.length === 0 ? (
            <p class="muted">No consumer groups yet.</p>
          ) : (
            <table class="table">
              <thead>
                <tr><th>Group</th><th>State</th><th class="num">Lag</th></tr>
              </thead>
              <tbody>
                {[...rates.groups].sort((a, b) => b.totalLag - a.totalLag || a.id.localeCompare(b.id)).slice(0, 8).map((group) => (
                  <tr key={group.id}>
                    <td><Link href={href(`/groups/${segment(group.id)}`)}>{group.id}</Link></td>
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
