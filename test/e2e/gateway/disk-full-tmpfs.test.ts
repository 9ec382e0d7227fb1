/**
 * R15 "disk full on the leader" (docs/RELIABILITY.md §3, row 54) on a real small volume: the node's
 * data dir is a 64 MiB tmpfs. Below the guard's threshold produce gets a retriable error and
 * nothing partial is appended; with the guard off, a real ENOSPC mid-batch acknowledges nothing,
 * leaves no clean-shutdown marker, and after freeing space and restarting every acknowledged record
 * is there and nothing of the torn batch is. Needs root (mount); skipped with a message otherwise.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep, startTestNode, type TestNode } from '../../support/test-node';
import { startNodeProcess as startChild, postGraphQL as gql } from '../../support/node-process';

const MIB = 1024 ** 2;
const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { partition offset } } }`;
const BROWSE = `query($p: Int!, $o: SafeInt) { records(topic: "fill", partition: $p, offset: $o, limit: 10000) { highWatermark nextOffset records { offset value } } }`;
const PARTITIONS = 2;
const VALUE_BYTES = 4_096;

/** Mounts a 64 MiB tmpfs at a fresh directory, or says why it cannot. */
function mountTmpfs(): { dir: string } | { skip: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logway-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    fs.rmdirSync(dir);
    return { skip: `mount -t tmpfs failed: ${String((error as Error).message).split('\n')[0]}` };
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) console.warn('disk-full-tmpfs.test.ts skipped: R15 needs root to mount a 64 MiB tmpfs as the data dir');
const describeAsRoot = isRoot ? describe : describe.skip;

function availableBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** A record's value: its label padded to VALUE_BYTES, so a page of values is easy to check. */
function value(label: string): string {
  return label.padEnd(VALUE_BYTES, '.');
}

function batch(label: string, partition: number, count = 100) {
  return { input: { topic: 'fill', records: Array.from({ length: count }, (_, i) => ({ value: value(`${label}-${i}`), partition })) } };
}

/** Every record of each partition, read page by page from offset 0. */
async function readAll(url: string): Promise<{ values: string[][]; highWatermarks: number[] }> {
  const values: string[][] = [];
  const highWatermarks: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const found: string[] = [];
    let offset = 0;
    for (;;) {
      const page = (await gql(url, BROWSE, { p, o: offset })).data.records;
      if (p === highWatermarks.length) highWatermarks.push(page.highWatermark);
      for (const r of page.records) {
        expect(r.offset).toBe(found.length); // no gap, no duplicate
        found.push(r.value);
      }
      if (page.records.length === 0) break;
      offset = page.nextOffset;
    }
    values.push(found);
  }
  return { values, highWatermarks };
}

describeAsRoot('disk full on a 64 MiB tmpfs data dir (R15)', () => {
  let dir = '';
  let skip: string | null = null;
  let dataDir = '';
  /** Acknowledged values per partition, in offset order. */
  const acked: string[][] = Array.from({ length: PARTITIONS }, () => []);
  let t: TestNode | null = null;
  let child: ChildProcess | null = null;

  beforeAll(() => {
    const mounted = mountTmpfs(); // here, not at load: a run that filters these tests out mounts nothing
    if ('skip' in mounted) {
      skip = mounted.skip;
      console.warn(`disk-full-tmpfs.test.ts skipped: ${skip}`);
    } else {
      dir = mounted.dir;
      dataDir = path.join(dir, 'node');
    }
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await t?.stop().catch(() => undefined);
    if (!dir) return;
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // something still holds a file: detach it
    }
    fs.rmdirSync(dir);
  });

  it('below the threshold refuses produce with a retriable error and appends nothing partial; freeing space lets it through again', async () => {
    if (skip) return;
    const ballast = path.join(dir, 'ballast');
    fs.writeFileSync(ballast, Buffer.alloc(48 * MIB)); // space an operator can free later (and less to fill: a faster test)
    t = await startTestNode([], dataDir);
    await t.ok(`mutation { createTopic(input: { name: "fill", partitions: ${PARTITIONS} }) { name } }`);
    let refused: any = null;
    for (let call = 0; call < 400 && !refused; call++) {
      const partition = call % PARTITIONS;
      const result = await t.gql(PRODUCE, batch(`c${call}`, partition));
      if (result.errors) {
        refused = result.errors[0];
        break;
      }
      result.data.produce.records.forEach((r: any, i: number) => {
        expect(r).toEqual({ partition, offset: acked[partition]!.length });
        acked[partition]!.push(value(`c${call}-${i}`));
      });
    }
    expect(refused?.extensions).toMatchObject({ code: 'BROKER_NOT_AVAILABLE', retriable: true, minFreeBytes: Math.floor(3.2 * MIB) });
    expect(refused.extensions.freeBytes).toBeLessThan(refused.extensions.requiredBytes);
    expect(availableBytes(dir)).toBeGreaterThan(MIB); // refused before the disk was full: no ENOSPC happened
    expect(await readAll(t.node.url)).toEqual({ values: acked, highWatermarks: acked.map((a) => a.length) });

    await t.restart();
    expect(await readAll(t.node.url)).toEqual({ values: acked, highWatermarks: acked.map((a) => a.length) });
    // A restart can free a little (the catalog's WAL is checkpointed away at a clean stop), so the
    // next batch is sized to cross the threshold from wherever the volume now stands, while still
    // fitting on it: the guard, not ENOSPC, must be what refuses it.
    const stillFull = Math.ceil((availableBytes(dir) - Math.floor(3.2 * MIB)) / VALUE_BYTES) + 10;
    expect(stillFull * VALUE_BYTES).toBeLessThan(availableBytes(dir));
    expect((await t.gql(PRODUCE, batch('still-full', 0, stillFull))).errors?.[0]?.extensions).toMatchObject({
      code: 'BROKER_NOT_AVAILABLE',
      retriable: true,
    });

    fs.unlinkSync(ballast);
    let accepted: any = null;
    for (let attempt = 0; attempt < 100 && !accepted; attempt++) {
      const result = await t.gql(PRODUCE, batch(`freed${attempt}`, 0, 10));
      if (result.data?.produce) accepted = { result, attempt };
      else await sleep(50); // the guard looks again at most every 100 ms while refusing
    }
    expect(accepted.result.data.produce.records[0]).toEqual({ partition: 0, offset: acked[0]!.length });
    for (let i = 0; i < 10; i++) acked[0]!.push(value(`freed${accepted.attempt}-${i}`));
    await t.stop();
    t = null;
  });

  it('at a real ENOSPC (guard off) acknowledges nothing, writes no clean-shutdown marker, and after freeing space loses no acknowledged record and serves no partial batch', async () => {
    if (skip) return;
    const filler = path.join(dir, 'filler');
    let url: string;
    ({ child, url } = await startChild(dataDir, ['--storage-min-free-bytes', '0']));
    await gql(url, `mutation { createTopic(input: { name: "fill", partitions: ${PARTITIONS} }) { name } }`); // exists after the first test
    const last = await gql(url, PRODUCE, batch('last-acked', 1, 10)); // acknowledged just before the disk fills
    last.data.produce.records.forEach((r: any, i: number) => {
      expect(r).toEqual({ partition: 1, offset: acked[1]!.length });
      acked[1]!.push(value(`last-acked-${i}`));
    });
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, availableBytes(dir) - 200 * 1024))); // ~200 KiB left
    const torn = await gql(url, PRODUCE, batch('torn', 1)); // ~400 KiB: cut mid-batch by ENOSPC
    expect(torn.data ?? null).toBeNull();
    expect(torn.errors[0].extensions.code).not.toBe('BROKER_NOT_AVAILABLE');
    const next = await gql(url, PRODUCE, batch('after-torn', 1, 1)); // the log refuses everything until restart
    expect(next.data ?? null).toBeNull();
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(1); // the failed log cannot close cleanly
    child = null;
    expect(fs.existsSync(path.join(dataDir, 'logs', '.kafka_cleanshutdown'))).toBe(false);

    fs.unlinkSync(filler);
    t = await startTestNode([], dataDir);
    const { values, highWatermarks } = await readAll(t.node.url);
    expect(values).toEqual(acked);
    expect(highWatermarks).toEqual(acked.map((a) => a.length));
    const after = await t.ok(PRODUCE, batch('recovered', 1, 1));
    expect(after.produce.records[0]).toEqual({ partition: 1, offset: acked[1]!.length });
  });
});
