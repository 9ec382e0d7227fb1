/**
 * Details an AKHQ or Redpanda Console user expects, in a real browser against a real node: a
 * stored value shown byte for byte (pretty JSON only on request), config durations and sizes in
 * human units beside the raw value, the groups reading a topic on its page, and a group member's
 * host.
 */
import { expect as pwExpect } from './pw-expect';
import { createTopicViaApi, openConsole, produceViaApi, type ConsoleSession } from './console-harness';

let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole();
}, 60_000);

afterAll(async () => {
  await session?.close();
});

afterEach(() => {
  expect(session.pageErrors).toEqual([]);
});

describe('record values', () => {
  it('shows a JSON value as stored, spaces and key order included, and pretty-prints it only on request', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'stored-json');
    const stored = '{"total": 12, "b":1, "a" : [1,2]}';
    await produceViaApi(node, 'stored-json', [{ key: 'k', value: stored }]);
    await page.goto(url('/topics/stored-json/messages?from=oldest'));
    const row = page.locator('[data-testid=records-table] tbody tr.record-row').first();
    await pwExpect(row.getByTestId('record-value-preview')).toHaveText(stored);
    await row.click();
    const value = page.getByTestId('record-detail').getByTestId('record-value');
    await pwExpect(value).toHaveText(stored);
    await page.getByRole('button', { name: 'Pretty JSON' }).click();
    await pwExpect(value).toHaveText(JSON.stringify(JSON.parse(stored), null, 2));
    await page.getByRole('button', { name: 'As stored' }).click();
    await pwExpect(value).toHaveText(stored);
  });
});

describe('topic configs', () => {
  it('shows durations and sizes in human units beside the raw value', async () => {
    const { page, url, node } = session;
    await node.ok(`mutation { createTopic(input: { name: "units", configs: [{ key: "retention.ms", value: "5400000" }] }) { name } }`);
    await page.goto(url('/topics/units'));
    const value = (key: string) => page.locator(`[data-testid=configs-table] tr[data-key="${key}"] td`).nth(1);
    await pwExpect(value('retention.ms')).toContainText('5400000 (1.5 h)');
    await pwExpect(value('segment.ms')).toContainText('604800000 (7 d)');
    await pwExpect(value('delete.retention.ms')).toContainText('86400000 (1 d)');
    await pwExpect(value('segment.bytes')).toContainText('1073741824 (1 GiB)');
    await pwExpect(value('max.message.bytes')).toContainText('1048588 (1 MiB)');
    await pwExpect(value('retention.bytes')).toContainText('-1 (no limit)');
    // Not a duration or a size: the raw value alone.
    await pwExpect(value('min.insync.replicas')).toHaveText('1default');
  });
});

describe('consumer groups on the topic page', () => {
  it('lists the groups reading the topic, live members and committed offsets alike, with lag on this topic', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'read-by', 2);
    await createTopicViaApi(node, 'read-elsewhere');
    await produceViaApi(node, 'read-by', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
    ]);
    await node.ok(
      `mutation { commitOffsets(group: "nightly", offsets: [{ topic: "read-by", partition: 0, offset: 1 }, { topic: "read-by", partition: 1, offset: 0 }]) { offset } }`,
    );
    await node.ok(
      `mutation { commitOffsets(group: "other-topic", offsets: [{ topic: "read-elsewhere", partition: 0, offset: 0 }]) { offset } }`,
    );
    const client = node.wsClient();
    const stop = client.subscribe(
      { query: `subscription { records(topic: "read-by", group: "live-readers", from: LATEST) { memberId } }` },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    try {
      await page.goto(url('/topics/read-by'));
      const table = page.getByTestId('topic-groups');
      await pwExpect(table.locator('tbody tr')).toHaveCount(2);
      const nightly = table.locator('tr[data-group=nightly]');
      await pwExpect(nightly).toContainText('Empty');
      // partition 0: 2 − 1; partition 1: 1 − 0.
      await pwExpect(nightly.getByTestId('topic-group-lag')).toHaveText('2');
      await pwExpect(table.locator('tr[data-group=live-readers]')).toContainText('Stable');
      await table.getByRole('link', { name: 'nightly' }).click();
      await page.waitForURL(url('/groups/nightly'));
    } finally {
      stop();
    }
  });
});

describe('group members', () => {
  it('shows the host each member connected from and its client id', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'hosted');
    const client = node.wsClient();
    const stop = client.subscribe(
      { query: `subscription { records(topic: "hosted", group: "hosted-group", clientId: "billing-7") { memberId } }` },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    try {
      await page.goto(url('/groups/hosted-group'));
      const member = page.locator('[data-testid=group-members] tbody tr').first();
      await pwExpect(member).toContainText('billing-7');
      await pwExpect(member.locator('td').nth(2)).toHaveText('127.0.0.1');
    } finally {
      stop();
    }
  });
});
