/**
 * A throttled producer slows down to its quota and loses nothing (issue #14): one client produces
 * calls of 100 × 1 KiB records as fast as the node answers for `--seconds`, first with no quota,
 * then as a principal with `producerByteRate` = `--quota` bytes/s. Prints the rate reached in
 * each case, the rate over the second half of the throttled run (past Kafka's 10 s burst
 * allowance), the summed throttleTimeMs, and whether every record was stored (count read back).
 * Prints `quota <case> <metric> <value> <unit>`; never asserts.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/security/quota-throttle.js [--seconds 30] [--quota 1048576]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { startNode, type RunningNode } from '../../server/main';

const ADMIN = 'bench-admin-secret-0123456789abcdef';
const RECORDS_PER_CALL = 100;
const VALUE = 'x'.repeat(1_024);

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function gql(node: RunningNode, credential: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(node.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[]; extensions?: { throttleTimeMs?: number } };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body;
}

async function run(
  node: RunningNode,
  credential: string,
  topic: string,
  seconds: number,
): Promise<{ bytesPerS: number; secondHalfBytesPerS: number; throttledMs: number; calls: number }> {
  const records = Array.from({ length: RECORDS_PER_CALL }, () => ({ value: VALUE }));
  const query = 'mutation($t: String!, $r: [RecordInput!]!) { produce(input: {topic: $t, records: $r}) { throttleTimeMs } }';
  const started = performance.now();
  const endMs = started + seconds * 1_000;
  const halfMs = started + (seconds * 1_000) / 2;
  let calls = 0;
  let secondHalfCalls = 0;
  let throttledMs = 0;
  while (performance.now() < endMs) {
    const body = await gql(node, credential, query, { t: topic, r: records });
    calls++;
    if (performance.now() > halfMs) secondHalfCalls++;
    throttledMs += body.extensions?.throttleTimeMs ?? 0;
  }
  const elapsedS = (performance.now() - started) / 1_000;
  const callBytes = RECORDS_PER_CALL * VALUE.length;
  return {
    bytesPerS: (calls * callBytes) / elapsedS,
    secondHalfBytesPerS: (secondHalfCalls * callBytes) / (elapsedS - seconds / 2),
    throttledMs,
    calls,
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 30);
  const quota = arg('quota', 1_048_576);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-quota-'));
  const node = await startNode(loadConfig(['--port', '0', '--data-dir', dir, '--auth', 'required', '--bootstrap-admin-key', ADMIN], {}), {
    logger: pino({ level: 'silent' }),
  });
  try {
    for (const [label, limited] of [
      ['unlimited', false],
      ['throttled', true],
    ] as const) {
      const topic = `quota-${label}`;
      await gql(node, ADMIN, 'mutation($t: String!) { createTopic(input: {name: $t}) { name } }', { t: topic });
      const principal = `User:${label}`;
      const secret = (await gql(node, ADMIN, 'mutation($p: String!) { createApiKey(principal: $p) { secret } }', { p: principal })).data
        .createApiKey.secret;
      await gql(node, ADMIN, 'mutation($a: [AclInput!]!) { createAcls(acls: $a) { principal } }', {
        a: [{ principal, resourceType: 'TOPIC', resourceName: topic, operation: 'WRITE' }],
      });
      if (limited)
        await gql(node, ADMIN, 'mutation($p: String!, $q: SafeInt) { setQuota(principal: $p, producerByteRate: $q) { principal } }', {
          p: principal,
          q: quota,
        });
      const result = await run(node, secret, topic, seconds);
      const stored = (await gql(node, ADMIN, 'query($t: String!) { topic(name: $t) { messageCount } }', { t: topic })).data.topic
        .messageCount;
      console.log(`quota ${label} bytes_per_s ${Math.round(result.bytesPerS)} B/s`);
      if (limited) {
        console.log(`quota ${label} quota ${quota} B/s`);
        console.log(`quota ${label} whole_run_vs_quota ${(result.bytesPerS / quota).toFixed(3)} x`);
        console.log(`quota ${label} second_half_bytes_per_s ${Math.round(result.secondHalfBytesPerS)} B/s`);
        console.log(`quota ${label} second_half_vs_quota ${(result.secondHalfBytesPerS / quota).toFixed(3)} x`);
        console.log(`quota ${label} throttle_time_total ${result.throttledMs} ms`);
      }
      console.log(`quota ${label} records_sent ${result.calls * RECORDS_PER_CALL} records`);
      console.log(`quota ${label} records_stored ${stored} records`);
    }
  } finally {
    await node.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
