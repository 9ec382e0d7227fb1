/** The partitions of a topic: leader, replicas, ISR and the four offsets, with a per-partition rate. */
import type { PartitionState } from '../../api/topics';
import { Link } from '../../components/link';
import { formatBytes, formatCount, formatRate } from '../../lib/format';
import { href, segment } from '../../lib/router';

export function PartitionsTable({
  topic,
  partitions,
  rates,
}: {
  topic: string;
  partitions: PartitionState[];
  rates: Map<number, number | null>;
}) {
  return (
    <table class="table" data-testid="partitions-table">
      <thead>
        <tr>
          <th class="num">Partition</th>
          <th class="num">Leader</th>
          <th>Replicas</th>
          <th>ISR</th>
          <th class="num">Log start</th>
          <th class="num">High watermark</th>
          <th class="num">Log end</th>
          <th class="num">Last stable</th>
          <th class="num">Records</th>
          <th class="num">Size</th>
          <th class="num">Rate</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {partitions.map((p) => (
          <tr key={p.partition} class={p.underReplicated ? 'warn-row' : ''} data-partition={p.partition}>
            <td class="num">{p.partition}</td>
            <td class="num">{p.leader ?? <span class="warn-text">none</span>}</td>
            <td>{p.replicas.join(', ')}</td>
            <td>
              {p.isr.join(', ')}
              {p.underReplicated && <span class="tag warn">under-replicated</span>}
            </td>
            <td class="num">{formatCount(p.logStartOffset)}</td>
            <td class="num" data-testid="high-watermark">
              {formatCount(p.highWatermark)}
            </td>
            <td class="num">{formatCount(p.logEndOffset)}</td>
            <td class="num">{formatCount(p.lastStableOffset)}</td>
            <td class="num">{formatCount(p.highWatermark - p.logStartOffset)}</td>
            <td class="num">{formatBytes(p.sizeBytes)}</td>
            <td class="num">{formatRate(rates.get(p.partition))}</td>
            <td class="num">
              <Link href={href(`/topics/${segment(topic)}/messages`, { partition: p.partition, from: 'oldest' })}>Browse</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
