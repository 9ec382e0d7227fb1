/**
 * Time lag per partition: how old the oldest unconsumed record is (now − timestamp of the record
 * at the committed offset). The API has no field for it, so the console reads that one record;
 * at most once every 5 s per group, and only for partitions that lag.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { GroupPartitionOffset } from '../../api/groups';
import { fetchRecordPage } from '../../api/records';

const REFRESH_MS = 5_000;

export function useTimeLag(offsets: GroupPartitionOffset[] | undefined): Map<string, number | null> {
  const [lags, setLags] = useState(new Map<string, number | null>());
  const last = useRef(0);
  const latest = useRef(offsets);
  latest.current = offsets;

  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      const current = latest.current;
      if (!current) return;
      last.current = Date.now();
      const next = new Map<string, number | null>();
      await Promise.all(current.map(async (o) => {
        const id = `${o.topic}:${o.partition}`;
        if (o.lag <= 0 || o.committedOffset === null) return next.set(id, o.lag <= 0 ? 0 : null);
        try {
          const page = await fetchRecordPage({ topic: o.topic, partition: o.partition, offset: o.committedOffset, limit: 1 });
          const record = page.records[0];
          next.set(id, record ? Math.max(0, Date.now() - record.timestampMs) : null);
        } catch {
          next.set(id, null);
        }
      }));
      if (!cancelled) setLags(next);
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  return lags;
}
