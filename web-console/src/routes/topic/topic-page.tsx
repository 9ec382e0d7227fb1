/**
 * One topic: headline figures (its rates from the node's own counters, polled every 2 s), its
 * partitions updating live from the partitionState subscription (leader, ISR and the four
 * offsets), the consumer groups reading it, the transactions open on it (with an abort), its
 * configs, and the topic's actions.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { GraphQLRequestError } from '../../api/graphql';
import { fetchTopic, fetchTopicRates, watchPartitions, type PartitionState } from '../../api/topics';
import { PageHeader } from '../../components/layout';
import { Link } from '../../components/link';
import { Stat } from '../../components/stat';
import { Empty, ErrorBox, Loading } from '../../components/status';
import { formatBytes, formatCount, formatRate, formatTimestamp } from '../../lib/format';
import { RateMeter } from '../../lib/rate';
import { href, segment } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { ConfigsTable } from './configs-table';
import { PartitionsTable } from './partitions-table';
import { TopicActions } from './topic-actions';
import { TopicGroups } from './topic-groups';
import { TopicTransactions } from './topic-transactions';

/** Partition rates are re-read this often without a push, so a partition gone quiet falls to 0. */
const RATE_TICK_MS = 2_000;

function useLivePartitions(topic: string, enabled: boolean) {
  const [partitions, setPartitions] = useState<PartitionState[] | null>(null);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [rates, setRates] = useState(new Map<number, number | null>());
  const meters = useRef(new Map<number, RateMeter>());
  useEffect(() => {
    if (!enabled) return;
    let last: PartitionState[] = [];
    // partitionState pushes only when something moves: without a reading in between, the rate of
    // a partition that stopped would stay at its last value.
    const measure = (state: PartitionState[]) => {
      const now = performance.now();
      const next = new Map<number, number | null>();
      for (const p of state) {
        let meter = meters.current.get(p.partition);
        if (!meter) meters.current.set(p.partition, (meter = new RateMeter()));
        meter.add(p.highWatermark, now);
        next.set(p.partition, meter.perSecond());
      }
      setRates(next);
    };
    const timer = setInterval(() => measure(last), RATE_TICK_MS);
    const stop = watchPartitions(topic, {
      next: (state) => {
        last = state;
        measure(state);
        setPartitions([...state].sort((a, b) => a.partition - b.partition));
        setError(null);
      },
      error: setError,
    });
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [topic, enabled]);
  return { partitions, error, rates };
}

export function TopicPage({ name }: { name: string }) {
  const topic = useAsync((signal) => fetchTopic(name, signal), [name]);
  const live = useLivePartitions(name, !!topic.data);
  // The topic's rates from the node's counters: right on the first answer. The per-partition
  // column is measured here from the pushed watermarks (it appears with the second push).
  const rates = useAsync((signal) => fetchTopicRates(name, signal), [name], 2_000);

  if (topic.error && !topic.data) return <ErrorBox error={topic.error} onRetry={topic.reload} />;
  if (topic.data === undefined) return <Loading what={`Loading ${name}`} />;
  if (topic.data === null) {
    return (
      <Empty title={`There is no topic named “${name}”.`}>
        <Link href={href('/topics')}>Back to the topics</Link>
      </Empty>
    );
  }
  const detail = topic.data;
  const partitions = live.partitions ?? detail.partitions;
  const records = partitions.reduce((sum, p) => sum + (p.highWatermark - p.logStartOffset), 0);
  const bytes = partitions.reduce((sum, p) => sum + p.sizeBytes, 0);
  const under = partitions.filter((p) => p.underReplicated).length;

  return (
    <>
      <PageHeader title={detail.name} crumbs={[{ label: 'Topics', href: href('/topics') }]}>
        <Link class="btn primary" href={href(`/topics/${segment(detail.name)}/messages`)}>
          Messages
        </Link>
        <TopicActions topic={detail} onChanged={topic.set} />
      </PageHeader>
      <section class="stats">
        <Stat label="Partitions" value={partitions.length} hint={`replication factor ${detail.replicationFactor}`} />
        <Stat label="Records" value={formatCount(records)} hint="log start to high watermark" testId="topic-records" />
        <Stat label="Size" value={formatBytes(bytes)} />
        <Stat
          label="Produce rate"
          value={formatRate(rates.data?.produceRate)}
          hint={`${formatRate(rates.data == null ? null : rates.data.produceBytesRate / 1024, 'KiB/s')} · last 10 s`}
          testId="topic-produce-rate"
        />
        <Stat label="Consume rate" value={formatRate(rates.data?.consumeRate)} hint="by consumer groups" testId="topic-consume-rate" />
        <Stat label="Under-replicated" value={under} tone={under ? 'warn' : 'ok'} />
        <Stat
          label="Created"
          value={<span class="smaller">{formatTimestamp(Date.parse(detail.createdAt)).slice(0, 16)}</span>}
          hint={<code title="topic id">{detail.topicId}</code>}
        />
      </section>
      <section class="card">
        <div class="card-title">
          <h2>Partitions</h2>
          <span class={`badge ${live.partitions ? 'live' : ''}`} data-testid="partitions-live">
            {live.partitions ? 'live' : 'snapshot'}
          </span>
        </div>
        {live.error && <ErrorBox compact error={live.error} />}
        <PartitionsTable topic={detail.name} partitions={partitions} rates={live.rates} />
      </section>
      <section class="card">
        <h2>Consumer groups</h2>
        <TopicGroups topic={detail.name} />
      </section>
      <section class="card">
        <h2>Open transactions</h2>
        <TopicTransactions topic={detail.name} />
      </section>
      <section class="card">
        <h2>Configs</h2>
        <ConfigsTable topic={detail.name} configs={detail.configs} onChanged={topic.set} />
      </section>
    </>
  );
}
