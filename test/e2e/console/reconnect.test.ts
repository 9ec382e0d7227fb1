/**
 * A node restart under an open console: the live connection reconnects by itself, the tail goes
 * on from where it was without showing a record twice, and the topic page's partitions resume
 * their live updates. The node listens on a fixed free port so the page can find it again.
 */
import { freePort } from '../../support/free-port';
import { expect as pwExpect } from './pw-expect';
import { createTopicViaApi, openConsole, produceViaApi, type ConsoleSession } from './console-harness';

let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole({ nodeArgs: ['--port', String(await freePort())] });
  await createTopicViaApi(session.node, 'sensors', 2);
}, 60_000);

afterAll(async () => {
  await session?.close();
});

afterEach(() => {
  // While the node is down the browser logs its refused WebSocket and fetch attempts.
  const unexpected = session.pageErrors.filter((line) => !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(line));
  expect(unexpected).toEqual([]);
});

const rows = () => session.page.locator('[data-testid=records-table] tbody tr.record-row');

it('keeps tailing across a node restart, without showing a record twice', async () => {
  const { page, url, node } = session;
  await produceViaApi(node, 'sensors', [
    { key: 'before-1', value: 'a', partition: 0 },
    { key: 'before-2', value: 'b', partition: 1 },
  ]);
  await page.goto(url('/topics/sensors/messages'));
  await pwExpect(rows()).toHaveCount(2);
  await produceViaApi(node, 'sensors', [{ key: 'live-1', value: 'c', partition: 0 }]);
  await pwExpect(rows()).toHaveCount(3);
  await pwExpect(page.getByTestId('live-state')).toHaveText('live');

  await node.restart();
  await produceViaApi(node, 'sensors', [
    { key: 'after-1', value: 'd', partition: 0 },
    { key: 'after-2', value: 'e', partition: 1 },
  ]);
  await pwExpect(page.getByTestId('live-state'), 20_000).toHaveText('live');
  await pwExpect(rows(), 20_000).toHaveCount(5);
  const keys = await rows().getByTestId('record-key').allInnerTexts();
  expect([...keys].sort()).toEqual(['after-1', 'after-2', 'before-1', 'before-2', 'live-1']);
  // The history records were not received live: only three arrived over the subscription.
  await pwExpect(page.getByTestId('tail-status')).toContainText('3 received');
}, 60_000);

it('resumes the live partition table after a restart', async () => {
  const { page, url, node } = session;
  await page.goto(url('/topics/sensors'));
  const hw = page.locator('[data-testid=partitions-table] tr[data-partition="1"] [data-testid=high-watermark]');
  await pwExpect(hw).toHaveText('2');
  await node.restart();
  await pwExpect(page.getByTestId('live-state'), 20_000).toHaveText('live');
  await produceViaApi(node, 'sensors', [{ value: 'f', partition: 1 }]);
  await pwExpect(hw, 20_000).toHaveText('3');
}, 60_000);
