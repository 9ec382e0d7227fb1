/** Where to read from: partition (one or all) and start (oldest, newest/live, offset, timestamp). */
import { useState } from 'preact/hooks';
import { toLocalInput } from '../../lib/format';

export type From = 'newest' | 'oldest' | 'offset' | 'timestamp';

export interface Position {
  partition: number | null;
  from: From;
  offset: number | null;
  timestampMs: number | null;
}

export function BrowseControls({
  position,
  partitionCount,
  onGo,
}: {
  position: Position;
  partitionCount: number;
  onGo(position: Position): void;
}) {
  const [partition, setPartition] = useState(position.partition === null ? '' : String(position.partition));
  const [from, setFrom] = useState<From>(position.from);
  const [offset, setOffset] = useState(position.offset === null ? '0' : String(position.offset));
  const [timestamp, setTimestamp] = useState(toLocalInput(position.timestampMs ?? Date.now() - 3_600_000));

  const submit = (event: Event) => {
    event.preventDefault();
    onGo({
      partition: partition === '' ? null : Number(partition),
      from,
      offset: from === 'offset' ? Math.max(0, Math.floor(Number(offset) || 0)) : null,
      timestampMs: from === 'timestamp' ? new Date(timestamp).getTime() : null,
    });
  };

  return (
    <form class="toolbar browse-controls" onSubmit={submit} aria-label="Browse position">
      <label class="inline">
        Partition
        <select name="partition" value={partition} onChange={(e) => setPartition(e.currentTarget.value)}>
          <option value="">all</option>
          {Array.from({ length: partitionCount }, (_, i) => (
            <option key={i} value={String(i)}>
              {i}
            </option>
          ))}
        </select>
      </label>
      <label class="inline">
        From
        <select name="from" value={from} onChange={(e) => setFrom(e.currentTarget.value as From)}>
          <option value="newest">newest (live tail)</option>
          <option value="oldest">oldest</option>
          <option value="offset">offset</option>
          <option value="timestamp">timestamp</option>
        </select>
      </label>
      {from === 'offset' && (
        <input
          name="offset"
          type="number"
          min="0"
          aria-label="Start offset"
          value={offset}
          onInput={(e) => setOffset(e.currentTarget.value)}
        />
      )}
      {from === 'timestamp' && (
        <input
          name="timestamp"
          type="datetime-local"
          step="1"
          aria-label="Start time"
          value={timestamp}
          onInput={(e) => setTimestamp(e.currentTarget.value)}
        />
      )}
      <button type="submit" class="btn primary">
        Go
      </button>
    </form>
  );
}
