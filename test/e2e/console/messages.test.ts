/**
 * The message browser in a real browser against a real node: producing from the form and seeing
 * the record arrive in the live tail, browsing from an offset and a timestamp, value rendering
 * (pretty JSON, text, hex for binary) with headers, filtering, and pausing the tail.
 */
import { expect as pwExpect } from './pw-expect';
import { createTopicViaApi, openConsole, produceViaApi, type ConsoleSession } from './console-harness';

let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole();
  await createTopicViaApi(session.node, 'events', 2);
}, 60_000);

afterAll(async () => {
  await session?.close();
});

afterEach(() => {
  expect(session.pageErrors).toEqual([]);
});

const rows = () => session.page.locator('[data-testid=records-table] tbody tr.record-row');

describe('the live tail', () => {
  it('shows a record produced from the form, and records produced elsewhere, as they arrive', async () => {
    const { page, url, node } = session;
    await page.goto(url('/topics/events/messages'));
    await pwExpect(page.getByTestId('tail-status')).toContainText('live');
    await pwExpect(page.getByText('The topic is empty; waiting for new records…')).toBeVisible();

    await page.getByRole('button', { name: 'Produce a record' }).click();
    const form = page.getByRole('form', { name: 'Produce a record' });
    await form.getByLabel('Key', { exact: true }).fill('customer-7');
    await form.getByLabel('Value', { exact: true }).fill('{"order":42,"items":["tea","milk"]}');
    await form.locator('select[name=partition]').selectOption('1');
    await form.getByRole('button', { name: '+ Add header' }).click();
    await form.getByLabel('Header key 1').fill('trace-id');
    await form.getByLabel('Header value 1').fill('abc123');
    await form.getByRole('button', { name: 'Produce' }).click();
    await pwExpect(form.getByTestId('produced')).toContainText('Produced to partition 1 at offset 0');

    await pwExpect(rows()).toHaveCount(1);
    await pwExpect(rows().first().getByTestId('record-key')).toHaveText('customer-7');

    await produceViaApi(node, 'events', [{ key: 'from-api', value: 'hello from elsewhere', partition: 0 }]);
    await pwExpect(rows()).toHaveCount(2);
    // Newest first.
    await pwExpect(rows().first().getByTestId('record-key')).toHaveText('from-api');

    const { records } = await node.ok(`{ records(topic: "events", partition: 1) { records { key value headers { key value } } } }`);
    expect(records.records).toEqual([
      { key: 'customer-7', value: '{"order":42,"items":["tea","milk"]}', headers: [{ key: 'trace-id', value: 'abc123' }] },
    ]);
  });

  it('opens a record with its JSON value as stored, pretty-printed on request, and its headers', async () => {
    const { page } = session;
    await rows().filter({ hasText: 'customer-7' }).click();
    const detail = page.getByTestId('record-detail');
    await pwExpect(detail.getByTestId('record-value')).toHaveText('{"order":42,"items":["tea","milk"]}');
    await detail.getByRole('button', { name: 'Pretty JSON' }).click();
    await pwExpect(detail.getByTestId('record-value')).toContainText('"order": 42,\n  "items": [');
    await pwExpect(detail).toContainText('trace-id');
    await pwExpect(detail).toContainText('abc123');
    // Opening a record pauses the tail so it does not scroll away.
    await pwExpect(page.getByTestId('pause')).toHaveText('Resume');
    await page.getByTestId('pause').click();
  });

  it('freezes the rows while paused and shows the new records on resume', async () => {
    const { page, url, node } = session;
    await page.goto(url('/topics/events/messages?partition=0'));
    await pwExpect(rows()).toHaveCount(1);
    await page.getByTestId('pause').click();
    await produceViaApi(node, 'events', [
      { value: 'p1', partition: 0 },
      { value: 'p2', partition: 0 },
    ]);
    await pwExpect(page.getByTestId('tail-status')).toContainText('2 new while paused');
    await pwExpect(rows()).toHaveCount(1);
    await page.getByTestId('pause').click();
    await pwExpect(rows()).toHaveCount(3);
    await pwExpect(rows().first().getByTestId('record-value-preview')).toHaveText('p2');
  });

  it('keeps only records whose key and value match the filter', async () => {
    const { page, url, node } = session;
    await page.goto(url('/topics/events/messages?q=needle'));
    await produceViaApi(node, 'events', [
      { key: 'a', value: 'hay', partition: 0 },
      { key: 'b', value: 'a NEEDLE here', partition: 1 },
      { key: 'c', value: 'more hay', partition: 0 },
    ]);
    await pwExpect(page.getByTestId('tail-status')).toContainText('matching');
    await pwExpect(rows()).toHaveCount(1);
    await pwExpect(rows().first().getByTestId('record-key')).toHaveText('b');

    await page.getByLabel('Filter by value').fill('');
    await page.getByLabel('Filter by key').fill('customer');
    await page.getByRole('button', { name: 'Filter' }).click();
    await pwExpect(rows()).toHaveCount(1);
    await pwExpect(rows().first().getByTestId('record-key')).toHaveText('customer-7');
    expect(new URL(page.url()).searchParams.get('key')).toBe('customer');
  });
});

describe('a busy tail', () => {
  it('draws a bounded window of the newest records and keeps the newest 200 for a pause', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'firehose', 3);
    await page.goto(url('/topics/firehose/messages'));
    await pwExpect(page.getByText('The topic is empty; waiting for new records…')).toBeVisible();
    for (let batch = 0; batch < 5; batch++) {
      await produceViaApi(
        node,
        'firehose',
        Array.from({ length: 200 }, (_, i) => ({ key: `k${batch * 200 + i}`, value: `v${batch * 200 + i}`, partition: i % 3 })),
      );
    }
    await pwExpect(page.getByTestId('tail-status')).toContainText('1,000 received');
    await pwExpect(rows()).toHaveCount(40);
    await page.getByTestId('pause').click();
    await pwExpect(rows()).toHaveCount(200);
    // Newest first: partitions arrive in their own order, so the top row is from the last batch.
    await pwExpect(rows().first().getByTestId('record-key')).toHaveText(/^k(8|9)\d\d$/);
    await page.getByTestId('pause').click();
    await pwExpect(rows()).toHaveCount(40);
  });
});

describe('browsing from a position', () => {
  beforeAll(async () => {
    await createTopicViaApi(session.node, 'ledger', 1);
    await produceViaApi(
      session.node,
      'ledger',
      Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `entry ${i}` })),
    );
  });

  it('reads one partition from an offset given in the URL', async () => {
    const { page, url } = session;
    await page.goto(url('/topics/ledger/messages?partition=0&from=offset&offset=20'));
    await pwExpect(rows()).toHaveCount(10);
    await pwExpect(rows().first()).toContainText('entry 20');
    await pwExpect(page.getByText('End of the log (high watermark).')).toBeVisible();
  });

  it('reads from an offset chosen in the controls, and puts it in the URL', async () => {
    const { page, url } = session;
    await page.goto(url('/topics/ledger/messages?from=oldest'));
    await pwExpect(rows()).toHaveCount(30);
    await page.getByRole('form', { name: 'Browse position' }).locator('select[name=from]').selectOption('offset');
    await page.getByLabel('Start offset').fill('25');
    await page.getByRole('button', { name: 'Go' }).click();
    await pwExpect(rows()).toHaveCount(5);
    await pwExpect(rows().first()).toContainText('entry 25');
    const params = new URL(page.url()).searchParams;
    expect([params.get('from'), params.get('offset')]).toEqual(['offset', '25']);
  });

  it('reads from a timestamp', async () => {
    const { page, url, node } = session;
    const before = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await produceViaApi(node, 'ledger', [{ key: 'late', value: 'after the mark' }]);
    await page.goto(url(`/topics/ledger/messages?from=timestamp&ts=${new Date(before).toISOString()}`));
    await pwExpect(rows()).toHaveCount(1);
    await pwExpect(rows().first()).toContainText('after the mark');
  });

  it('shows a binary value as hex', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'blobs');
    await produceViaApi(node, 'blobs', [{ key: 'bin', valueBase64: Buffer.from([0, 1, 2, 0xfe, 0xff]).toString('base64') }]);
    await page.goto(url('/topics/blobs/messages?from=oldest'));
    await pwExpect(rows().first().getByTestId('record-value-preview')).toHaveText('00 01 02 fe ff');
    await rows().first().click();
    await pwExpect(page.getByTestId('record-value')).toContainText('00000000  00 01 02 fe ff');
  });

  it('shows OFFSET_OUT_OF_RANGE in words for an offset past the log end', async () => {
    const { page, url } = session;
    await page.goto(url('/topics/ledger/messages?partition=0&from=offset&offset=999'));
    await pwExpect(page.getByRole('alert')).toContainText('OFFSET_OUT_OF_RANGE');
    await pwExpect(page.getByRole('alert')).toContainText('outside the log');
  });
});
