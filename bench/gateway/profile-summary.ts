/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: self time per function
 * (file:line), the top N, plus self time grouped by package / source folder, which is usually the
 * more useful view (GraphQL execution vs JSON vs the log engine vs the socket).
 * Run: node dist/bench/gateway/profile-summary.js FILE.cpuprofile [topN]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

/** `windowUs`: only samples stamped inside [start, end] on CLOCK_MONOTONIC µs (see stats.monotonicUs). */
export function summarizeProfile(
  file: string,
  topN = 25,
  windowUs?: readonly [number, number],
): { functions: HotSpot[]; groups: HotSpot[]; totalMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let stampUs = profile.startTime;
  profile.samples.forEach((id, index) => {
    const deltaUs = profile.timeDeltas[index] ?? 0;
    stampUs += deltaUs;
    if (windowUs && (stampUs < windowUs[0] || stampUs > windowUs[1])) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + deltaUs);
  });
  const functions = new Map<string, number>();
  const groups = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const group = groupOf(frame.url, frame.functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / totalUs }));
  return { functions: rank(functions), groups: rank(groups), totalMs: totalUs / 1000 };
}

function shortUrl(url: string): string {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const modules = clean.lastIndexOf('node_modules/');
  if (modules >= 0) return clean.slice(modules + 'node_modules/'.length);
  const dist = clean.indexOf('/dist/');
  if (dist >= 0) return clean.slice(dist + 1);
  return path.basename(clean);
}

function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const clean = url.replace(/^file:\/\//, '');
  const modules = clean.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = clean.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (clean.startsWith('node:')) return clean;
  const match = clean.match(/\/(?:dist\/)?(server\/[^/]+|schema\/[^/]+|storage\/[^/]+)\//);
  return match ? match[1]! : path.basename(clean);
}

export function printProfile(
  file: string,
  topN = 25,
  window?: { label: string; us: readonly [number, number] },
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): void {
  const { functions, groups, totalMs } = summarizeProfile(file, topN, window?.us);
  write(`CPU profile ${path.basename(file)}${window ? ` during ${window.label}` : ''}: ${(totalMs / 1000).toFixed(1)} s sampled`);
  write('  self time by package / folder:');
  for (const g of groups.slice(0, 15))
    write(`    ${(g.share * 100).toFixed(1).padStart(5)}%  ${g.selfMs.toFixed(0).padStart(7)} ms  ${g.name}`);
  write(`  top ${topN} functions by self time:`);
  for (const f of functions) write(`    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}`);
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/gateway/profile-summary.js FILE.cpuprofile [topN]\n');
    process.exit(2);
  }
  printProfile(file, top ? Number(top) : 25);
}
