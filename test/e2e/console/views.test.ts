/**
 * Every view as a whole: the overview's live counts and rates, a URL per view that loads on its
 * own, a laptop-sized layout without sideways scrolling, transport errors in words, and
 * screenshots of the main views (written to docs/console-*.png when LOGWAY_SCREENSHOTS=1, to a
 * temp dir otherwise, so a normal test run leaves the tree clean).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collect } from '../../support/test-node';
import { expect as pwExpect } from './pw-expect';
import { createTopicViaApi, openConsole, produceViaApi, REPO_ROOT, type ConsoleSession } from './console-harness';

const SCREENSHOT_DIR =
  process.env.LOGWAY_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs') : mkdtempSync(path.join(os.tmpdir(), 'console-shots-'));

let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole({ viewport: { width: 1366, height: 768 } });
}, 60_000);

afterAll(async () => {
  await session?.close();
});

afterEach(() => {
  expect(session.pageErrors).toEqual([]);
});

/** Produces small JSON orders every 50 ms until stopped (bounded: 600 rounds, 30 s). */
function startTraffic(topic: string): () => Promise<void> {
  let running = true;
  let round = 0;
  const loop = (async () => {
    while (running && round < 600) {
      round++;
      const records = Array.from({ length: 5 }, (_, i) => ({
        key: `customer-${(round * 5 + i) % 17}`,
        value: JSON.stringify({
          orderId: round * 5 + i,
          amountCents: 1000 + ((round * 37 + i) % 900),
          currency: 'EUR',
          items: ['tea', 'milk'].slice(0, 1 + (i % 2)),
        }),
        headers: [{ key: 'source', value: 'checkout' }],
      }));
      await produceViaApi(session.node, topic, records);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

describe('the overview', () => {
  it('counts topics and records and shows a produce rate while records flow', async () => {
    const { page, url, node } = session;
    await page.goto(url('/'));
    await pwExpect(page.getByTestId('stat-topics')).toContainText('0');
    await createTopicViaApi(node, 'orders', 3);
    await pwExpect(page.getByTestId('stat-topics')).toContainText('1');
    const stop = startTraffic('orders');
    try {
      await pwExpect(page.getByTestId('stat-produce-rate')).toHaveText(/[1-9][\d,.]* rec\/s/);
    } finally {
      await stop();
    }
    const { topic } = await node.ok(`{ topic(name: "orders") { messageCount } }`);
    await pwExpect(page.getByTestId('stat-records')).toContainText(topic.messageCount.toLocaleString('en-US'));
  });
});

describe('addresses and layout', () => {
  const views: [string, string][] = [
    ['/', 'Overview'],
    ['/topics', 'Topics'],
    ['/topics/orders', 'orders'],
    ['/topics/orders/messages?from=oldest&partition=1', 'Messages'],
    ['/groups', 'Consumer groups'],
  ];

  it.each(views)(
    'loads %s from its URL alone and fits a 1280 × 720 laptop screen without sideways scrolling',
    async (consolePath, heading) => {
      const { page, url } = session;
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(url(consolePath));
      await pwExpect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
      await page.waitForTimeout(300);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow).toBeLessThanOrEqual(0);
    },
  );

  it('answers an unknown console path with a page that says so', async () => {
    const { page, url } = session;
    await page.goto(url('/no/such/view'));
    await pwExpect(page.getByTestId('empty')).toContainText('There is no page at this address.');
  });

  it('shows a network failure in words, and recovers on retry', async () => {
    const { page, url } = session;
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.goto(url('/topics'));
    const alert = page.getByRole('alert');
    await pwExpect(alert).toContainText('The node cannot be reached. Is it running?');
    await pwExpect(alert).toContainText('NETWORK_ERROR');
    session.pageErrors.length = 0; // the browser logs the refused requests themselves
    await page.unroute('**/graphql');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await pwExpect(page.locator('[data-testid=topics-table] tbody tr')).toHaveCount(1);
    session.pageErrors.length = 0;
  });
});

describe('screenshots', () => {
  it('captures the overview, topic, messages and consumer group views with live data', async () => {
    const { page, url, node } = session;
    await page.setViewportSize({ width: 1366, height: 768 });
    // 'orders' exists when the overview test ran first; create it when this test runs alone.
    await node.gql(`mutation { createTopic(input: { name: "orders", partitions: 3 }) { name } }`);
    await createTopicViaApi(node, 'payments', 6);
    await createTopicViaApi(node, 'audit-log', 1);
    await produceViaApi(
      node,
      'audit-log',
      Array.from({ length: 40 }, (_, i) => ({ key: `user-${i % 5}`, value: `login ok from 10.0.0.${i}` })),
    );
    // A consumer group that keeps up unevenly: it commits a little behind the high watermark every
    // 700 ms, so its lag chart moves and the overview shows a consume rate.
    let committing = true;
    const committer = (async () => {
      for (let round = 0; committing && round < 100; round++) {
        const { topic } = await node.ok(`{ topic(name: "orders") { partitions { partition highWatermark } } }`);
        const offsets = topic.partitions.map((p: { partition: number; highWatermark: number }) => ({
          topic: 'orders',
          partition: p.partition,
          offset: Math.max(0, p.highWatermark - ((round * 13 + p.partition * 29) % 60)),
        }));
        await node.ok(`mutation($offsets: [OffsetCommitInput!]!) { commitOffsets(group: "fraud-check", offsets: $offsets) { offset } }`, {
          offsets,
        });
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
    })();
    const member = collect(
      node.wsClient(),
      `subscription { records(topic: "orders", group: "fulfilment", from: EARLIEST, maxBatch: 100) { records { offset } } }`,
      {},
      () => false,
    );
    const stop = startTraffic('orders');
    try {
      await page.goto(url('/'));
      await pwExpect(page.getByTestId('stat-produce-rate')).toHaveText(/[1-9][\d,.]* rec\/s/);
      await page.waitForTimeout(4_000);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-overview.png') });

      await page.goto(url('/topics/orders'));
      await pwExpect(page.getByTestId('partitions-live')).toHaveText('live');
      await page.waitForTimeout(3_000);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-topic.png') });

      await page.goto(url('/topics/orders/messages'));
      await pwExpect(page.locator('[data-testid=records-table] tbody tr.record-row').first()).toBeVisible();
      await page.waitForTimeout(2_000);
      await page.locator('[data-testid=records-table] tbody tr.record-row').nth(1).click();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-messages.png') });

      await page.goto(url('/groups/fraud-check'));
      await pwExpect(page.getByTestId('group-live')).toHaveText('live');
      await page.waitForTimeout(8_000);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-group.png') });

      await page.goto(url('/groups'));
      await pwExpect(page.locator('[data-testid=groups-table] tr[data-group="fraud-check"]')).toBeVisible();
    } finally {
      await stop();
      committing = false;
      await committer;
      member.stop();
    }
  }, 60_000);
});
