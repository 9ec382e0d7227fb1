/**
 * The free-space guard seen from a GraphQL client over HTTP (docs/RELIABILITY.md §2.3 rule 9): the
 * node's disk seam reports a nearly full volume, produce answers the retriable
 * BROKER_NOT_AVAILABLE with free/required bytes, nothing of the refused call is readable, the node
 * keeps serving (its /metrics gauges say so), and produce works again once space returns. The
 * real-disk version is disk-full-tmpfs.test.ts.
 */
import { FaultyFileSystem } from '../../support/faulty-file-system';
import { sleep, startTestNode, type GraphQLResponse, type TestNode } from '../../support/test-node';

const MIB = 1024 ** 2;
const PRODUCE = `mutation($input: ProduceInput!) { produce(input: $input) { records { partition offset } } }`;
const BROWSE = `query($partition: Int!) { records(topic: "guarded", partition: $partition, limit: 1000) { highWatermark records { offset value } } }`;

function produceInput(prefix: string, count: number) {
  return { input: { topic: 'guarded', records: Array.from({ length: count }, (_, i) => ({ value: `${prefix}-${i}`, partition: 0 })) } };
}

/**
 * Produces until `done` says the answer is the awaited one (the guard sees a new volume on its
 * next statfs: ≤ 100 ms here); the values of every acknowledged call go to `acked`.
 */
async function produceUntil(t: TestNode, prefix: string, acked: string[], done: (r: GraphQLResponse) => boolean): Promise<GraphQLResponse> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const input = produceInput(`${prefix}${attempt}`, 5);
    const result = await t.gql(PRODUCE, input);
    if (result.data?.produce) acked.push(...input.input.records.map((r) => r.value));
    if (done(result)) return result;
    await sleep(25);
  }
  throw new Error(`produce never reached the awaited answer (${prefix})`);
}

/** The free-space gauges of /metrics, by name. */
async function storageGauges(t: TestNode): Promise<Record<string, number | undefined>> {
  const text = await (await fetch(t.node.url.replace(/\/graphql$/, '/metrics'))).text();
  const gauges: Record<string, number | undefined> = {};
  for (const match of text.matchAll(/^(logway_storage_\w+) (\S+)$/gm)) gauges[match[1]!] = Number(match[2]);
  return gauges;
}

describe('free-space guard through GraphQL', () => {
  const faulty = new FaultyFileSystem();
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--maintenance-interval-ms', '100'], undefined, { fs: faulty });
    await t.ok(`mutation { createTopic(input: { name: "guarded" }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses produce with the retriable BROKER_NOT_AVAILABLE before the disk is full, keeps serving, and accepts it again once space returns', async () => {
    const first = await t.ok(PRODUCE, produceInput('before', 3));
    expect(first.produce.records.map((r: any) => r.offset)).toEqual([0, 1, 2]);
    const acked = ['before-0', 'before-1', 'before-2'];

    faulty.volumeSpace = { totalBytes: 64 * MIB, availableBytes: 3 * MIB }; // under 5% of 64 MiB
    const refused = await produceUntil(t, 'while-full-', acked, (r) => r.errors !== undefined);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors).toHaveLength(1);
    const extensions = refused.errors![0]!.extensions!;
    expect(extensions).toMatchObject({ code: 'BROKER_NOT_AVAILABLE', retriable: true, minFreeBytes: Math.floor(3.2 * MIB) });
    expect(extensions.freeBytes).toBeLessThan(extensions.requiredBytes);
    expect(refused.errors![0]!.message).toMatch(/not enough free disk space/);

    // Still serving: reads, admin and a second refusal all answer; nothing of a refused call is readable.
    const page = await t.ok(BROWSE, { partition: 0 });
    expect(page.records.records.map((r: any) => r.value)).toEqual(acked);
    expect(page.records.highWatermark).toBe(acked.length);
    expect(await t.errorCode(PRODUCE, produceInput('again', 1))).toBe('BROKER_NOT_AVAILABLE');
    expect((await t.ok(`{ topic(name: "guarded") { partitionCount } }`)).topic.partitionCount).toBe(1);
    const whileFull = await storageGauges(t);
    expect(whileFull).toMatchObject({ logway_storage_refusing_produce: 1, logway_storage_min_free_bytes: Math.floor(3.2 * MIB) });
    expect(whileFull.logway_storage_free_bytes).toBeLessThan(whileFull.logway_storage_min_free_bytes!);

    faulty.volumeSpace = null; // space returns: the real volume again
    const ackedBefore = acked.length;
    const accepted = await produceUntil(t, 'after-', acked, (r) => r.data?.produce !== undefined);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.produce.records[0].offset).toBe(ackedBefore); // no gap where refused calls were
    const after = await t.ok(BROWSE, { partition: 0 });
    expect(after.records.records.map((r: any) => r.value)).toEqual(acked);
    const recovered = await storageGauges(t);
    expect(recovered.logway_storage_refusing_produce).toBe(0);
    expect(recovered.logway_storage_free_bytes).toBeGreaterThan(recovered.logway_storage_min_free_bytes!);
  });
});
