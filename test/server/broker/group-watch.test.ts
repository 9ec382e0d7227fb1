/**
 * The groupLag feed must not miss a change that happens while its last view is still being sent:
 * the subscriber's transport holds the feed at its `yield` until the send completes, and a member
 * leaving in that window (the console's group page, issue #9 item 3) must still be pushed.
 */
import { startTestNode, type TestNode } from '../../support/test-node';

const COMMIT = `mutation($g: String!, $o: [OffsetCommitInput!]!) { commitOffsets(group: $g, offsets: $o) { offset } }`;

/** The next view, or an error after `ms` (a guard against a feed that never wakes, not a timing). */
function nextWithin<T>(feed: AsyncIterator<T>, ms: number): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no view within ${ms} ms: the change was lost`)), ms);
  });
  return Promise.race([feed.next(), guard]).finally(() => clearTimeout(timer));
}

describe('watchGroup', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    await t.ok(`mutation { createTopic(input: { name: "watched", partitions: 1 }) { name } }`);
    await t.ok(`mutation($input: ProduceInput!) { produce(input: $input) { topic } }`, {
      input: { topic: 'watched', records: [{ value: 'a' }, { value: 'b' }] },
    });
    await t.ok(COMMIT, { g: 'g', o: [{ topic: 'watched', partition: 0, offset: 0 }] });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('pushes a change made while the previous view was still held by the subscriber', async () => {
    const feed = t.node.broker.watchGroup('g');
    try {
      const first = await nextWithin(feed, 10_000);
      expect(first.value.totalLag).toBe(2);
      // The feed is suspended at its yield now (as while graphql-ws awaits the socket write).
      await t.ok(COMMIT, { g: 'g', o: [{ topic: 'watched', partition: 0, offset: 2 }] });
      const second = await nextWithin(feed, 10_000);
      expect(second.value.totalLag).toBe(0);
    } finally {
      await feed.return?.();
    }
  });
});
