/**
 * Consumer groups in a real browser against a real node: the list with state and lag, the group
 * page's lag following groupLag as records are produced and offsets committed, a member shown
 * while a group subscription is open, and resetting offsets once the group is empty.
 */
import { collect } from '../../support/test-node';
import { eventually, expect as pwExpect } from './pw-expect';
import { createTopicViaApi, openConsole, produceViaApi, type ConsoleSession } from './console-harness';

let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole();
  await createTopicViaApi(session.node, 'clicks', 2);
}, 60_000);

afterAll(async () => {
  await session?.close();
});

afterEach(() => {
  expect(session.pageErrors).toEqual([]);
});

const commit = (group: string, offsets: { partition: number; offset: number }[], topic = 'clicks') =>
  session.node.ok(
    `mutation($group: String!, $offsets: [OffsetCommitInput!]!) { commitOffsets(group: $group, offsets: $offsets) { offset } }`,
    {
      group,
      offsets: offsets.map((o) => ({ topic, ...o })),
    },
  );

const committed = async (group: string) => {
  const { consumerGroup } = await session.node.ok(
    `query($id: String!) { consumerGroup(id: $id) { offsets { partition committedOffset } } }`,
    { id: group },
  );
  return Object.fromEntries(
    consumerGroup.offsets.map((o: { partition: number; committedOffset: number }) => [o.partition, o.committedOffset]),
  );
};

describe('the group list', () => {
  it('lists groups with their state and total lag', async () => {
    const { page, url, node } = session;
    await page.goto(url('/groups'));
    await pwExpect(page.getByTestId('empty')).toContainText('No consumer groups yet.');
    await commit('billing', [
      { partition: 0, offset: 0 },
      { partition: 1, offset: 0 },
    ]);
    await produceViaApi(node, 'clicks', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 1 },
    ]);
    const row = page.locator('[data-testid=groups-table] tr[data-group="billing"]');
    await pwExpect(row.getByTestId('group-state')).toHaveText('Empty');
    await pwExpect(row.getByTestId('group-lag')).toHaveText('2');
  });
});

describe('the group page', () => {
  it('follows the lag live: up when records are produced, down when offsets are committed', async () => {
    const { page, url, node } = session;
    await page.goto(url('/groups/billing'));
    await pwExpect(page.getByTestId('group-live')).toHaveText('live');
    await pwExpect(page.getByTestId('total-lag')).toHaveText('2');

    await produceViaApi(node, 'clicks', [
      { value: 'c', partition: 0 },
      { value: 'd', partition: 0 },
      { value: 'e', partition: 0 },
    ]);
    await pwExpect(page.getByTestId('total-lag')).toHaveText('5');
    const partition0 = page.locator('[data-testid=group-offsets] tr[data-partition="0"]');
    await pwExpect(partition0.getByTestId('lag')).toHaveText('4');

    await pwExpect(partition0.getByTestId('time-lag')).toHaveText(/^\d[\d.,]* (ms|s|min)$/);
    await commit('billing', [{ partition: 0, offset: 4 }]);
    await pwExpect(partition0.getByTestId('lag')).toHaveText('0');
    await pwExpect(partition0.getByTestId('time-lag')).toHaveText('0 ms');
    await pwExpect(partition0.getByTestId('committed')).toHaveText('4');
    await pwExpect(page.getByTestId('total-lag')).toHaveText('1');
    await pwExpect(page.locator('.chart figcaption')).toContainText('peak 5');
  });

  it('shows a live member and refuses to reset offsets until the group is empty', async () => {
    const { page, url, node } = session;
    const client = node.wsClient();
    const member = collect(
      client,
      `subscription { records(topic: "clicks", group: "readers", from: EARLIEST, maxBatch: 100) { memberId records { offset } } }`,
      {},
      () => false,
    );
    await page.goto(url('/groups/readers'));
    await pwExpect(page.getByTestId('group-state')).toHaveText('Stable');
    await pwExpect(page.locator('[data-testid=group-members] tbody tr')).toHaveCount(1);
    await pwExpect(page.getByRole('button', { name: 'Reset offsets' })).toBeDisabled();
    await pwExpect(page.getByRole('form', { name: 'Reset offsets' })).toContainText('only while the group is Empty');

    member.stop();
    await pwExpect(page.getByTestId('group-state'), 20_000).toHaveText('Empty');
    await pwExpect(page.getByRole('button', { name: 'Reset offsets' })).toBeEnabled();
  });

  it('resets an empty group to the earliest offset, and then to an exact offset', async () => {
    const { page, url } = session;
    await page.goto(url('/groups/billing'));
    const form = page.getByRole('form', { name: 'Reset offsets' });
    await form.locator('select[name=to]').selectOption('EARLIEST');
    await form.getByRole('button', { name: 'Reset offsets' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset offsets' }).click();
    await pwExpect(form.getByTestId('reset-done')).toContainText('Reset 2 partitions');
    expect(
      await eventually(
        'offsets reset to 0',
        () => committed('billing'),
        (c) => c[0] === 0 && c[1] === 0,
      ),
    ).toEqual({ 0: 0, 1: 0 });
    await pwExpect(page.getByTestId('total-lag')).toHaveText('5');

    await form.locator('select[name=to]').selectOption('OFFSET');
    await form.locator('input[name=offset]').fill('1');
    await form.getByRole('button', { name: 'Reset offsets' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset offsets' }).click();
    expect(
      await eventually(
        'offsets reset to 1',
        () => committed('billing'),
        (c) => c[0] === 1 && c[1] === 1,
      ),
    ).toEqual({ 0: 1, 1: 1 });
    await pwExpect(page.getByTestId('total-lag')).toHaveText('3');
  });

  it('resets an empty group to the first records at or after a timestamp', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'audits', 1);
    const nowMs = Date.now();
    await produceViaApi(node, 'audits', [
      { value: 'old 1', timestampMs: nowMs - 120_000 },
      { value: 'old 2', timestampMs: nowMs - 90_000 },
      { value: 'new 1', timestampMs: nowMs - 30_000 },
      { value: 'new 2', timestampMs: nowMs - 20_000 },
    ]);
    await commit('auditor', [{ partition: 0, offset: 4 }], 'audits');
    await page.goto(url('/groups/auditor'));
    await pwExpect(page.getByTestId('total-lag')).toHaveText('0');
    const form = page.getByRole('form', { name: 'Reset offsets' });
    await form.locator('select[name=to]').selectOption('TIMESTAMP');
    // The input takes local time; the browser turns it back into an instant.
    const localInput = (await page.evaluate(
      `(() => { const ms = ${nowMs - 60_000}; return new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 19); })()`,
    )) as string;
    await form.locator('input[name=timestamp]').fill(localInput);
    await form.getByRole('button', { name: 'Reset offsets' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset offsets' }).click();
    await pwExpect(form.getByTestId('reset-done')).toContainText('0 → 2');
    expect(
      await eventually(
        'offset reset to 2',
        () => committed('auditor'),
        (c) => c[0] === 2,
      ),
    ).toEqual({ 0: 2 });
    await pwExpect(page.getByTestId('total-lag')).toHaveText('2');
  });

  it('says so when the group does not exist', async () => {
    const { page, url } = session;
    await page.goto(url('/groups/nobody'));
    await pwExpect(page.getByTestId('empty')).toContainText('There is no consumer group named');
  });
});
