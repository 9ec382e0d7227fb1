/**
 * Black box: a sealed segment whose batch baseOffset (not CRC-covered) was patched on disk while
 * the node was down — after a clean stop and after SIGKILL. Through GraphQL a record is served at
 * its own offset or not at all: a page from before the damage returns the good records with
 * nextOffset at the damage, the read at the damage answers CORRUPT_MESSAGE, and so do a
 * subscription (after the good records) and a pull consumer. The node keeps serving.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { batchPositions, findPartitionDir, patchBaseOffset, sealedSegmentFiles } from '../../support/segment-damage';
import { collect, startTestNode, type TestNode } from '../../support/test-node';
import { startNodeProcess as startChild } from '../../support/node-process';

const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { offset } } }`;
const CREATE = `mutation { createTopic(input: { name: "t", partitions: 1, configs: [{ key: "segment.bytes", value: "4096" }, { key: "index.interval.bytes", value: "256" }] }) { name } }`;
const PAGE = `query($o: SafeInt) { records(topic: "t", partition: 0, offset: $o, limit: 1000) { nextOffset records { offset value } } }`;

/** 60 batches of 5: record i has value v<i>. */
async function produceAll(send: (query: string, variables?: object) => Promise<any>): Promise<void> {
  await send(CREATE);
  for (let b = 0; b < 60; b++) {
    await send(PRODUCE, {
      input: { topic: 't', records: Array.from({ length: 5 }, (_, i) => ({ value: `v${b * 5 + i}`, partition: 0 })) },
    });
  }
}

/** Lowers the baseOffset of the batch holding 25..29 by 5: it then claims 20..24, which the batch before holds. */
function damage(dataDir: string): void {
  const sealed = sealedSegmentFiles(findPartitionDir(path.join(dataDir, 'logs')))[0]!;
  const target = batchPositions(sealed.log).find((p) => p.baseOffset === 25)!;
  patchBaseOffset(sealed.log, target.position, 20);
}

async function expectServedRight(t: TestNode): Promise<void> {
  // Every page: each record carries its own offset.
  for (let offset = 0; offset < 300; offset += 7) {
    const result = await t.gql(PAGE, { o: offset });
    if (result.errors) {
      expect(result.errors[0]!.extensions?.code).toBe('CORRUPT_MESSAGE');
      continue;
    }
    for (const r of result.data.records.records) expect(r.value).toBe(`v${r.offset}`);
  }
  const before = await t.ok(PAGE, { o: 15 });
  expect(before.records.records.map((r: any) => r.offset)).toEqual([15, 16, 17, 18, 19]);
  expect(before.records.nextOffset).toBe(20);
  expect(await t.errorCode(PAGE, { o: 20 })).toBe('CORRUPT_MESSAGE');

  const sub = collect(
    t.wsClient(),
    `subscription { records(topic: "t", partitions: [0], from: OFFSET, offset: 10) { records { offset value } } }`,
    {},
    () => false,
  );
  const error = await sub.done.then(
    () => null,
    (e: any) => e,
  );
  const served = sub.events.flatMap((e: any) => e.records.records ?? []);
  expect(served.map((r: any) => r.offset)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  for (const r of served) expect(r.value).toBe(`v${r.offset}`);
  expect(error?.errors?.[0]?.extensions?.code).toBe('CORRUPT_MESSAGE');

  await t.ok(`mutation { resetOffsets(group: "g", topic: "t", to: OFFSET, offset: 20) { offset } }`);
  // A pull consumer from the committed offset 20: joins, then polls until the read answers (bounded).
  let memberId: string | null = null;
  let pollError: string | undefined;
  for (let attempt = 0; attempt < 20 && pollError === undefined; attempt++) {
    const poll: any = await t.gql(
      `mutation($m: String) { pollRecords(group: "g", topic: "t", memberId: $m, maxWaitMs: 200) { memberId batches { records { offset value } } } }`,
      { m: memberId },
    );
    if (poll.errors) pollError = poll.errors[0]!.extensions?.code;
    else {
      memberId = poll.data.pollRecords.memberId;
      expect(poll.data.pollRecords.batches.flatMap((b: any) => b.records)).toEqual([]);
    }
  }
  expect(pollError).toBe('CORRUPT_MESSAGE');
  // Still serving: other reads and writes go on.
  await t.ok(PRODUCE, { input: { topic: 't', records: [{ value: 'after', partition: 0 }] } });
}

describe('a sealed segment with a patched baseOffset, through GraphQL', () => {
  it('after a clean stop', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-corrupt-'));
    try {
      const first = await startTestNode([], dataDir);
      await produceAll((q, v) => first.ok(q, v as Record<string, unknown>));
      await first.stop();
      damage(dataDir);
      const second = await startTestNode([], dataDir);
      try {
        await expectServedRight(second);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000); // a guard that it answers at all on a loaded machine, not a timing

  it('after SIGKILL', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'logway-corrupt-kill-'));
    let child: ChildProcess | null = null;
    try {
      const started = await startChild(dataDir);
      child = started.child;
      await produceAll(async (query, variables) => {
        const response = await fetch(started.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        const body: any = await response.json();
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body.data;
      });
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      damage(dataDir);
      const node = await startTestNode([], dataDir);
      try {
        await expectServedRight(node);
      } finally {
        await node.stop();
      }
    } finally {
      child?.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
