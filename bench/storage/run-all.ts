/**
 * Runs every storage benchmark in turn, each in its own process, passing the same arguments.
 * Run: node dist/bench/storage/run-all.js [--gib 0.25] [--json bench-results.jsonl]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['codec-throughput', 'append-validation', 'append-throughput', 'read-throughput', 'recovery-time', 'compaction-rate'];

let failed = 0;
for (const bench of BENCHES) {
  const result = spawnSync(process.execPath, [join(__dirname, `${bench}.js`), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
