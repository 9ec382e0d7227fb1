/** The side-by-side table: one row per figure, one column per system, then Logway/peer ratios. */

export interface ResultRow {
  workload: string;
  unit: string;
  /** Figure per system name; null when the system was not run or the run failed. */
  values: Map<string, number | null>;
  /** Marks a run that hit its deadline before finishing (the figure is still a rate). */
  notes?: string[];
}

export function renderComparison(rows: readonly ResultRow[], systems: readonly string[]): string {
  const [first, ...peers] = systems;
  const header = ['workload', 'unit', ...systems, ...peers.map((p) => `${first}/${p}`)];
  const body = rows.map((row) => {
    const own = row.values.get(first!) ?? null;
    return [
      row.workload,
      row.unit,
      ...systems.map((s) => format(row.values.get(s) ?? null)),
      ...peers.map((p) => {
        const other = row.values.get(p) ?? null;
        return own === null || other === null || other === 0 || Number.isNaN(own) || Number.isNaN(other)
          ? '-'
          : `${(own / other).toFixed(2)}×`;
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const notes = rows.flatMap((r) => (r.notes ?? []).map((n) => `  note (${r.workload}): ${n}`));
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...notes].join('\n');
}

function format(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '-';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}
