/**
 * A small line chart in SVG (no chart library: a polyline is enough for a lag or rate trend).
 * Points are [timeMs, value]; the y axis starts at 0 so a flat line at the bottom means zero.
 */
import { formatCount } from '../lib/format';

export interface ChartProps {
  points: readonly [number, number][];
  width?: number;
  height?: number;
  label: string;
  format?: (value: number) => string;
}

export function LineChart({ points, width = 320, height = 80, label, format = formatCount }: ChartProps) {
  if (points.length < 2) {
    return (
      <div class="chart chart-empty" style={{ height: `${height}px` }}>
        collecting {label}…
      </div>
    );
  }
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  const max = Math.max(1, ...points.map((p) => p[1]));
  const pad = 2;
  const x = (t: number) => pad + ((t - t0) / Math.max(1, t1 - t0)) * (width - 2 * pad);
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  const line = points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]![1];
  return (
    <figure class="chart" aria-label={`${label}: now ${format(last)}, peak ${format(max)}`}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} preserveAspectRatio="none">
        <polygon points={`${x(t0)},${height - pad} ${line} ${x(t1)},${height - pad}`} class="chart-area" />
        <polyline points={line} class="chart-line" vector-effect="non-scaling-stroke" />
      </svg>
      <figcaption>
        <span>{label}</span>
        <span>
          now <b>{format(last)}</b> · peak {format(max)} · last {Math.round((t1 - t0) / 1000)} s
        </span>
      </figcaption>
    </figure>
  );
}
