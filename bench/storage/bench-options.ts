/**
 * Command-line options shared by the storage benchmarks, and the figure printer.
 *
 *   --gib <n>        data size per case in GiB (or env LOGWAY_BENCH_GIB); each bench has its default
 *   --dir <path>     where to write (default: a fresh folder under the OS temp dir, removed after)
 *   --keep           leave the data behind
 *   --drop-caches    before timed reads, `echo 3 > /proc/sys/vm/drop_caches` (root only; affects the
 *                    whole machine, so off by default: reads are then from the page cache)
 *   --json <file>    also append every figure as one JSON line to <file>
 *
 * Benchmarks print figures and never assert (docs/HOUSE-STYLE.md: timings are not test results).
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GIB = 1024 * 1024 * 1024;
export const MIB = 1024 * 1024;

export interface BenchOptions {
  bytes: number;
  dir: string;
  keep: boolean;
  dropCaches: boolean;
  jsonPath: string | null;
}

export function parseBenchOptions(argv: string[], defaultGib: number, name: string): BenchOptions {
  const valueOf = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const gib = Number(valueOf('--gib') ?? process.env.LOGWAY_BENCH_GIB ?? defaultGib);
  if (!(gib > 0)) throw new RangeError(`--gib must be a positive number, got ${valueOf('--gib')}`);
  return {
    bytes: Math.round(gib * GIB),
    dir: valueOf('--dir') ?? mkdtempSync(join(tmpdir(), `logway-bench-${name}-`)),
    keep: argv.includes('--keep'),
    dropCaches: argv.includes('--drop-caches'),
    jsonPath: valueOf('--json') ?? null,
  };
}

/** Best effort: true when the kernel page cache was dropped. */
export function dropPageCache(options: BenchOptions): boolean {
  if (!options.dropCaches) return false;
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

export interface Figure {
  bench: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
}

export class FigurePrinter {
  private readonly figures: Figure[] = [];
  constructor(
    private readonly bench: string,
    private readonly options: BenchOptions,
  ) {}

  add(caseName: string, metric: string, value: number, unit: string): void {
    const figure = { bench: this.bench, case: caseName, metric, value, unit };
    this.figures.push(figure);
    const shown = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
    console.log(`${this.bench.padEnd(12)} ${caseName.padEnd(34)} ${metric.padEnd(26)} ${shown.padStart(12)} ${unit}`);
    if (this.options.jsonPath) appendFileSync(this.options.jsonPath, `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
  }
}

export function mbPerSecond(bytes: number, seconds: number): number {
  return bytes / MIB / seconds;
}

export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}
