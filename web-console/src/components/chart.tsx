/**
 * A small line chart with axes (no chart library: SVG for the line and grid, HTML for the labels,
 * so the text is not stretched with the plot). Points are [timeMs, value]. The x axis is a fixed
 * time span ending at `nowMs` (default the last 5 minutes), labelled in minutes or seconds before
 * now; the y axis starts at 0 and ends at a round number above the peak, labelled in `unit`.
 */
import { formatCount } from '../lib/format';

export const CHART_SPAN_MS = 5 * 60_000;

export interface ChartProps {
  points: readonly [number, number][];
  label: string;
  /** The y axis' unit, e.g. "rec/s" or "records". */
  unit: string;
  spanMs?: number;
  /** The right edge of the x axis; default the newest point. */
  nowMs?: number;
  /** The value "now" in the caption; default the newest point's. */
  now?: number;
  height?: number;
  format?: (value: number) => string;
}

const WIDTH = 600;
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A round step (1, 2 or 5 × 10^k) that cuts 0..max into about four intervals. */
export function yTicks(max: number): number[] {
  const raw = Math.max(max, 4) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let value = 0; ticks.length < 8; value += step) {
    ticks.push(value);
    if (value >= max && value > 0) break;
  }
  return ticks;
}

function xTicks(spanMs: number): { offsetMs: number; label: string }[] {
  const minutes = spanMs >= 120_000;
  const count = 5;
  return Array.from({ length: count + 1 }, (_, i) => {
    const offsetMs = (spanMs * (count - i)) / count;
    const label = offsetMs === 0 ? 'now' : minutes ? `−${Math.round(offsetMs / 60_000)} min` : `−${Math.round(offsetMs / 1_000)} s`;
    return { offsetMs, label };
  });
}

export function LineChart({ points, label, unit, spanMs = CHART_SPAN_MS, nowMs, now, height = 110, format = formatCount }: ChartProps) {
  const end = nowMs ?? points[points.length - 1]?.[0] ?? 0;
  const start = end - spanMs;
  const shown = points.filter((p) => p[0] >= start && p[0] <= end);
  const peak = shown.reduce((max, p) => Math.max(max, p[1]), 0);
  const ticks = yTicks(peak);
  const top = ticks[ticks.length - 1]!;
  const x = (t: number) => ((t - start) / spanMs) * WIDTH;
  const y = (v: number) => height - (v / top) * height;
  const line = shown.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
  const last = now ?? shown[shown.length - 1]?.[1];
  const enough = shown.length >= 2;

  return (
    <figure
      class="chart"
      aria-label={`${label}: now ${last == null ? 'unknown' : format(last)} ${unit}, peak ${format(peak)} ${unit}`}
      data-testid="chart"
    >
      <figcaption>
        <span>{label}</span>
        <span>
          now <b>{last == null ? '—' : `${format(last)} ${unit}`}</b> · peak {format(peak)}
        </span>
      </figcaption>
      <div class="chart-body">
        <div class="chart-y" style={{ height: `${height}px` }} data-testid="chart-y">
          <span class="chart-unit">{unit}</span>
          {ticks.map((value) => (
            <span key={value} style={{ top: `${(1 - value / top) * 100}%` }}>
              {compact.format(value)}
            </span>
          ))}
        </div>
        <div class="chart-plot">
          <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" height={height} preserveAspectRatio="none" aria-hidden="true">
            {ticks.map((value) => (
              <line key={value} x1="0" x2={WIDTH} y1={y(value)} y2={y(value)} class="chart-grid" vector-effect="non-scaling-stroke" />
            ))}
            {enough && (
              <polygon points={`${x(shown[0]![0])},${height} ${line} ${x(shown[shown.length - 1]![0])},${height}`} class="chart-area" />
            )}
            {enough && <polyline points={line} class="chart-line" vector-effect="non-scaling-stroke" />}
          </svg>
          {!enough && <div class="chart-empty">collecting {label}…</div>}
        </div>
        <div />
        <div class="chart-x" data-testid="chart-x">
          {xTicks(spanMs).map((tick) => (
            <span key={tick.label} style={{ left: `${(1 - tick.offsetMs / spanMs) * 100}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
      </div>
    </figure>
  );
}
