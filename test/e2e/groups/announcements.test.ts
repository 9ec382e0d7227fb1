/**
 * A group subscription's assignment announcements are explicit: `kind: ASSIGNMENT` with the
 * partitions gained (`assigned`) and lost (`revoked`) since the previous announcement, while
 * record batches are `kind: RECORDS`. The old sentinels (partition -1, highWatermark 0, lag 0,
 * `assignment`) stay as they were for older clients.
 */
import type { Client } from 'graphql-ws';
import { startTestNode, waitFor, type TestNode } from '../../support/test-node';

const ANNOUNCED = `subscription($topic: String!, $group: String!) {
  records(topic: $topic, group: $group, from: EARLIEST) {
    kind partition highWatermark lag memberId generation assignment assigned revoked records { offset value } } }`;

interface BatchEvent {
  kind: 'RECORDS' | 'ASSIGNMENT';
  partition: number;
  highWatermark: number;
  lag: number;
  memberId: string;
  generation: number;
  assignment: number[] | null;
  assigned: number[] | null;
  revoked: number[] | null;
  records: { offset: number; value: string }[];
}

interface Watched {
  events: BatchEvent[];
  errors: unknown[];
  announcements(): BatchEvent[];
  /** The assignment the announcements' assigned/revoked add up to, from nothing. */
  folded(): number[];
  stop(): void;
}

function watch(client: Client, topic: string, group: string): Watched {
  const events: BatchEvent[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ records: BatchEvent }>(
    { query: ANNOUNCED, variables: { topic, group } },
    {
      next: (value) => (value.errors ? errors.push(value.errors) : events.push(value.data!.records)),
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  const announcements = () => events.filter((e) => e.kind === 'ASSIGNMENT');
  const folded = () => {
    const owned = new Set<number>();
    for (const e of announcements()) {
      for (const p of e.revoked!) owned.delete(p);
      for (const p of e.assigned!) owned.add(p);
    }
    return [...owned].sort((a, b) => a - b);
  };
  return { events, errors, announcements, folded, stop };
}

const latest = (w: Watched) => w.announcements().at(-1)?.assignment ?? [];

describe('assignment announcements in a group subscription', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode(['--group-min-session-timeout-ms', '500']);
    await t.ok(`mutation { createTopic(input: { name: "announced", partitions: 4 }) { name } }`);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('says ASSIGNMENT with what was assigned and revoked, and RECORDS for records, keeping the old sentinels', async () => {
    const a = watch(t.wsClient(), 'announced', 'ann');
    await waitFor(() => latest(a).length === 4, 15_000, 'the first member owns all four partitions');
    const first = a.announcements()[0]!;
    expect(first).toMatchObject({ kind: 'ASSIGNMENT', assigned: [0, 1, 2, 3], revoked: [], assignment: [0, 1, 2, 3], records: [] });
    // The pre-kind way of telling an announcement still holds.
    expect(first).toMatchObject({ partition: -1, highWatermark: 0, lag: 0 });

    await t.ok(`mutation { produce(input: { topic: "announced", records: [{ value: "v", partition: 2 }] }) { topic } }`);
    await waitFor(() => a.events.some((e) => e.records.length > 0), 10_000, 'the record');
    const batch = a.events.find((e) => e.records.length > 0)!;
    expect(batch).toMatchObject({
      kind: 'RECORDS',
      partition: 2,
      assignment: null,
      assigned: null,
      revoked: null,
      highWatermark: 1,
      lag: 0,
    });

    // A second member joins: partitions are taken away from the first, and that is announced as revoked.
    const b = watch(t.wsClient(), 'announced', 'ann');
    await waitFor(() => latest(a).length === 2 && latest(b).length === 2, 15_000, 'two members with two partitions each');
    const revokedFromA = a.announcements().flatMap((e) => e.revoked!);
    expect(revokedFromA.sort((x, y) => x - y)).toEqual(latest(b));
    expect(
      a
        .announcements()
        .slice(1)
        .every((e) => e.assigned!.length === 0),
    ).toBe(true);
    for (const w of [a, b]) expect(w.folded()).toEqual(latest(w));

    // The second member leaves: its partitions come back to the first, announced as assigned.
    const bOwned = latest(b);
    b.stop();
    await waitFor(() => latest(a).length === 4, 15_000, 'the first member owns all four again');
    expect(a.announcements().at(-1)!.assigned).toEqual(bOwned);
    expect(a.folded()).toEqual([0, 1, 2, 3]);
    for (const e of a.events) expect(e.kind === 'ASSIGNMENT').toBe(e.partition === -1);
    expect(a.errors).toEqual([]);
    a.stop();
  });

  it('marks pull-consumer batches and plain subscriptions RECORDS', async () => {
    await t.ok(`mutation { produce(input: { topic: "announced", records: [{ value: "p", partition: 0 }] }) { topic } }`);
    const polled = await t.ok(
      `mutation { pollRecords(group: "pull-ann", topic: "announced", maxRecords: 10) { batches { kind assigned revoked records { offset } } } }`,
    );
    expect(polled.pollRecords.batches.length).toBeGreaterThan(0);
    for (const b of polled.pollRecords.batches) expect(b).toMatchObject({ kind: 'RECORDS', assigned: null, revoked: null });

    const events: { kind: string; assignment: number[] | null }[] = [];
    const stop = t
      .wsClient()
      .subscribe<{ records: { kind: string; assignment: number[] | null } }>(
        { query: `subscription { records(topic: "announced", partitions: [0], from: EARLIEST) { kind assignment } }` },
        { next: (value) => events.push(value.data!.records), error: () => undefined, complete: () => undefined },
      );
    await waitFor(() => events.length > 0, 10_000, 'a batch of partition 0');
    expect(events[0]).toEqual({ kind: 'RECORDS', assignment: null });
    stop();
  });
});
