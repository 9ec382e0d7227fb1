/**
 * Consumer groups through the public GraphQL API (issue 4 figures): records/s delivered to a group
 * of 4 subscribers over 8 partitions, and end-to-end rebalance time when a member joins and when
 * one dies (its socket destroyed; the session timeout is not involved: the node sees the socket
 * close), with idle members (from LATEST), so the figure is the protocol's, not a backlog's. One node in this process, real graphql-ws clients, a temp data dir. Prints, never asserts.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/groups/delivery.js [--records 400000] [--rounds 5] [--auto-commit]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { startNode } from '../../server/main';

const PARTITIONS = 8;
const MEMBERS = 4;
/** --auto-commit: members auto-commit, so every batch is followed by a proof of receipt (a ping). */
const AUTO_COMMIT = process.argv.includes('--auto-commit');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

interface Member {
  client: Client;
  socket: WebSocket | null;
  received: number;
  assignment: number[];
  changed: () => void;
}

function join(url: string, group: string, onChange: () => void, from: 'EARLIEST' | 'LATEST' = 'EARLIEST'): Member {
  const member: Member = { client: null as unknown as Client, socket: null, received: 0, assignment: [], changed: onChange };
  member.client = createClient({
    url,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        member.socket = this;
      }
    },
    retryAttempts: 0,
  });
  member.client.subscribe<{ records: { assignment: number[] | null; records: unknown[] } }>(
    {
      query: `subscription { records(topic: "bench", group: "${group}", from: ${from}, maxBatch: 1000${AUTO_COMMIT ? ', autoCommit: true' : ''}) { assignment records { offset } } }`,
    },
    {
      next: (value) => {
        const event = value.data!.records;
        member.received += event.records.length;
        if (event.assignment) member.assignment = event.assignment;
        member.changed();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return member;
}

function balanced(members: Member[]): boolean {
  const all = members.flatMap((m) => m.assignment).sort((a, b) => a - b);
  const sizes = members.map((m) => m.assignment.length);
  return all.length === PARTITIONS && all.every((p, i) => p === i) && Math.max(...sizes) - Math.min(...sizes) <= 1;
}

function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () =>
      predicate() ? resolve() : Date.now() - started > timeoutMs ? reject(new Error('timed out')) : setTimeout(check, 1);
    check();
  });
}

async function main(): Promise<void> {
  const recordCount = option('records', 400_000);
  const rounds = option('rounds', 5);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-bench-groups-'));
  const node = await startNode(loadConfig(['--port', '0', '--data-dir', dataDir], {}), { logger: pino({ level: 'silent' }) });
  const gql = (query: string, variables?: object) =>
    fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then(
      (r) => r.json(),
    );
  await gql(`mutation { createTopic(input: { name: "bench", partitions: ${PARTITIONS} }) { name } }`);
  const value = 'x'.repeat(100);
  for (let produced = 0; produced < recordCount; produced += 5_000) {
    const records = Array.from({ length: 5_000 }, (_, i) => ({ value, partition: (produced + i) % PARTITIONS }));
    await gql(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, { input: { topic: 'bench', records } });
  }

  const noop = () => undefined;
  const members = Array.from({ length: MEMBERS }, () => join(node.wsUrl, 'delivery', noop));
  await until(() => balanced(members));
  const started = performance.now();
  await until(() => members.reduce((n, m) => n + m.received, 0) >= recordCount, 300_000);
  const seconds = (performance.now() - started) / 1000;
  console.log(`groups delivery 4x8 records/s ${Math.round(recordCount / seconds)} records/s (100 B records, ${recordCount} records)`);
  for (const m of members) await m.client.dispose();

  const joinMs: number[] = [];
  const deathMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const group = `rebalance-${round}`;
    const crew = Array.from({ length: MEMBERS }, () => join(node.wsUrl, group, noop, 'LATEST'));
    await until(() => balanced(crew));
    let t0 = performance.now();
    const newcomer = join(node.wsUrl, group, noop, 'LATEST');
    crew.push(newcomer);
    await until(() => balanced(crew));
    joinMs.push(performance.now() - t0);
    const victim = crew.shift()!;
    t0 = performance.now();
    victim.socket!.terminate();
    await until(() => balanced(crew));
    deathMs.push(performance.now() - t0);
    for (const m of crew) await m.client.dispose();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`groups rebalance member-joins ms ${median(joinMs).toFixed(1)} ms (median of ${rounds}; 4 → 5 members, 8 partitions)`);
  console.log(`groups rebalance member-dies ms ${median(deathMs).toFixed(1)} ms (median of ${rounds}; socket destroyed, 5 → 4 members)`);
  await node.close();
  await rm(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
