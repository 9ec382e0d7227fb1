/**
 * The topic screens in a real browser against a real node: creating a topic from the form,
 * errors shown as codes in words, editing configs, deleting with confirmation, search kept in
 * the URL, and the partition table following the partitionState subscription.
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

const topicQuery = `query($name: String!) { topic(name: $name) { name partitionCount configs { key value isDefault } partitions { highWatermark } } }`;

describe('creating a topic', () => {
  it('creates a topic with partitions and a config override from the form, then opens its page', async () => {
    const { page, url, node } = session;
    await page.goto(url('/topics'));
    await page.getByRole('button', { name: 'Create topic' }).click();
    const form = page.getByRole('form', { name: 'Create topic' });
    await form.getByLabel('Name').fill('orders');
    await form.getByLabel('Partitions').fill('3');
    await form.getByRole('button', { name: '+ Add config' }).click();
    await form.getByLabel('Config key 1').fill('retention.ms');
    await form.getByLabel('Config value 1').fill('3600000');
    await form.getByRole('button', { name: 'Create topic' }).click();

    await page.waitForURL(url('/topics/orders'));
    await pwExpect(page.getByRole('heading', { name: 'orders' })).toBeVisible();
    await pwExpect(page.locator('[data-testid=partitions-table] tbody tr')).toHaveCount(3);

    const { topic } = await node.ok(topicQuery, { name: 'orders' });
    expect(topic.partitionCount).toBe(3);
    expect(topic.configs.find((c: { key: string }) => c.key === 'retention.ms')).toEqual({
      key: 'retention.ms',
      value: '3600000',
      isDefault: false,
    });
  });

  it('shows TOPIC_ALREADY_EXISTS in words when the name is taken', async () => {
    const { page, url } = session;
    await page.goto(url('/topics?create=1'));
    const form = page.getByRole('form', { name: 'Create topic' });
    await form.getByLabel('Name').fill('orders');
    await form.getByRole('button', { name: 'Create topic' }).click();
    const alert = form.getByRole('alert');
    await pwExpect(alert).toContainText('A topic with this name already exists.');
    await pwExpect(alert).toContainText('TOPIC_ALREADY_EXISTS');
  });
});

describe('the topic list', () => {
  it('filters by the search box and keeps the search in the URL', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'payments.eu');
    await createTopicViaApi(node, 'payments.us');
    await page.goto(url('/topics'));
    await page.getByLabel('Search topics').fill('payments');
    await pwExpect(page.locator('[data-testid=topics-table] tbody tr')).toHaveCount(2);
    expect(new URL(page.url()).searchParams.get('q')).toBe('payments');

    await page.reload();
    await pwExpect(page.locator('[data-testid=topics-table] tbody tr')).toHaveCount(2);
    await page.getByLabel('Search topics').fill('nothing-like-this');
    await pwExpect(page.getByTestId('empty')).toContainText('No topic matches');
  });
});

describe('the topic page', () => {
  it('moves the high watermark live as records are produced, without a reload', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'live-hw', 2);
    await page.goto(url('/topics/live-hw'));
    await pwExpect(page.getByTestId('partitions-live')).toHaveText('live');
    const hw = page.locator('[data-testid=partitions-table] tr[data-partition="1"] [data-testid=high-watermark]');
    await pwExpect(hw).toHaveText('0');
    await produceViaApi(node, 'live-hw', [
      { value: 'a', partition: 1 },
      { value: 'b', partition: 1 },
      { value: 'c', partition: 1 },
    ]);
    await pwExpect(hw).toHaveText('3');
    await pwExpect(page.getByTestId('topic-records')).toContainText('3');
  });

  it('edits a config value and puts it back to its default', async () => {
    const { page, url, node } = session;
    await page.goto(url('/topics/orders'));
    const row = page.locator('[data-testid=configs-table] tr[data-key="retention.bytes"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('Value of retention.bytes').fill('1048576');
    await row.getByRole('button', { name: 'Save' }).click();
    await pwExpect(row).toContainText('override');
    let { topic } = await node.ok(topicQuery, { name: 'orders' });
    expect(topic.configs.find((c: { key: string }) => c.key === 'retention.bytes')).toMatchObject({ value: '1048576', isDefault: false });

    await row.getByRole('button', { name: 'Reset to default' }).click();
    await pwExpect(row).toContainText('default');
    ({ topic } = await node.ok(topicQuery, { name: 'orders' }));
    expect(topic.configs.find((c: { key: string }) => c.key === 'retention.bytes')).toMatchObject({ isDefault: true });
  });

  it('shows INVALID_CONFIG in words for a value the node refuses', async () => {
    const { page, url } = session;
    await page.goto(url('/topics/orders'));
    const row = page.locator('[data-testid=configs-table] tr[data-key="cleanup.policy"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('Value of cleanup.policy').fill('shred');
    await row.getByRole('button', { name: 'Save' }).click();
    await pwExpect(page.getByRole('alert')).toContainText('INVALID_CONFIG');
  });

  it('deletes the topic only after its name is typed in the confirmation', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'doomed');
    await page.goto(url('/topics/doomed'));
    await page.getByRole('button', { name: 'Delete topic' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete topic' });
    await pwExpect(confirm).toBeDisabled();
    await dialog.getByLabel('Confirmation text').fill('doome');
    await pwExpect(confirm).toBeDisabled();
    await dialog.getByLabel('Confirmation text').fill('doomed');
    await confirm.click();
    await page.waitForURL(url('/topics'));
    expect((await node.ok(topicQuery, { name: 'doomed' })).topic).toBeNull();
  });

  it('says so when the topic does not exist', async () => {
    const { page, url } = session;
    await page.goto(url('/topics/no-such-topic'));
    await pwExpect(page.getByTestId('empty')).toContainText('There is no topic named');
  });
});
