/**
 * Topic config values in human units beside the raw value (`604800000` → `7 d`): keys ending in
 * `.ms` are durations, `.bytes` sizes. The largest unit that is exact in one decimal (7 d, 1.5 h),
 * else the largest unit rounded to one decimal (1.5 s, 1 MiB for 1048588). -1 means no limit in Kafka's settings of both kinds.
 */
const DURATIONS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
];
const SIZES: [number, string][] = [
  [2 ** 40, 'TiB'],
  [2 ** 30, 'GiB'],
  [2 ** 20, 'MiB'],
  [2 ** 10, 'KiB'],
];
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function inUnits(value: number, units: [number, string][], base: string): string {
  // The largest unit that says it exactly in at most one decimal: 1.5 h, not 90 min; 7 d, not 168 h.
  for (const [size, unit] of units) if (value >= size && (value * 10) % size === 0) return `${decimal.format(value / size)} ${unit}`;
  for (const [size, unit] of units) if (value >= size) return `${decimal.format(value / size)} ${unit}`;
  return `${decimal.format(value)} ${base}`;
}

/** The value in words for a duration or size key; null for other keys, non-numbers and 0. */
export function configInUnits(key: string, value: string | null): string | null {
  const kind = key.endsWith('.ms') ? 'ms' : key.endsWith('.bytes') ? 'bytes' : null;
  if (!kind || value === null || !/^-?\d+$/.test(value)) return null;
  const n = Number(value);
  if (n === -1) return 'no limit';
  if (n <= 0) return null;
  return kind === 'ms' ? inUnits(n, DURATIONS, 'ms') : inUnits(n, SIZES, 'B');
}
