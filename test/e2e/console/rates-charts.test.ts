/**
 * Rates and charts in a real browser against a real node: with about 80 records/s flowing and a
 * consumer group reading them, a freshly opened overview and topic page show the rates from
 * their first answer (never a 0 while records flow), and the charts have axes with units over
 * the last 5 minutes.
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

/** About 80 records/s (8 every 100 ms) until stopped; bounded: 300 rounds. */
function flow(topic: string): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    for (let round = 0; running && round < 300; round++) {
      await produceViaApi(
        session.node,
        topic,
        Array.from({ length: 8 }, (_, i) => ({ value: `{"n": ${round * 8 + i}}` })),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/** Records every text the stats show from the first paint on (installed before the page loads). */
function recordStats(testIds: string[]): string {
  return `(() => {
    const seen = Object.fromEntries(${JSON.stringify(testIds)}.map((id) => [id, []]));
    window.__statsSeen = seen;
    const look = () => {
      for (const id of Object.keys(seen)) {
        const el = document.querySelector('[data-testid="' + id + '"] .stat-value');
        const text = el && el.textContent;
        const list = seen[id];
        if (text && list[list.length - 1] !== text) list.push(text);
      }
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  })();`;
}

async function seenStats(): Promise<Record<string, string[]>> {
  return session.page.evaluate(() => (globalThis as unknown as { __statsSeen: Record<string, string[]> }).__statsSeen);
}

const nonZeroRate = /^(?!0 )[\d,.]+ rec\/s$/;

describe('rates from the first answer', () => {
  let stopFlow: () => Promise<void>;
  let stopMember: () => void;

  beforeAll(async () => {
    const { node } = session;
    await createTopicViaApi(node, 'steady', 2);
    stopFlow = flow('steady');
    // An auto-committing member: its committed offsets move every 5 s, its deliveries all the time.
    stopMember = node.wsClient().subscribe(
      {
        query: `subscription { records(topic: "steady", group: "steady-readers", from: EARLIEST, autoCommit: true) { records { offset } } }`,
      },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    // Let the node see a few seconds of traffic before any page opens.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  });

  afterAll(async () => {
    stopMember?.();
    await stopFlow?.();
  });

  it('shows non-zero produce and consume rates on the overview from its first answer on', async () => {
    const { page, url } = session;
    await page.addInitScript(recordStats(['stat-produce-rate', 'stat-consume-rate']));
    await page.goto(url('/'));
    await pwExpect(page.getByTestId('stat-produce-rate').locator('.stat-value')).toHaveText(nonZeroRate);
    await pwExpect(page.getByTestId('stat-consume-rate').locator('.stat-value')).toHaveText(nonZeroRate);
    // Three more polls: every value shown so far is either "not loaded yet" or a real rate.
    await page.waitForTimeout(6_000);
    const seen = await seenStats();
    for (const id of ['stat-produce-rate', 'stat-consume-rate']) {
      const values = seen[id]!.filter((v) => v !== '—');
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(value).toMatch(nonZeroRate);
    }
  });

  it('shows the topic page rates from its first answer too', async () => {
    const { page, url } = session;
    await page.addInitScript(recordStats(['topic-produce-rate', 'topic-consume-rate']));
    await page.goto(url('/topics/steady'));
    await pwExpect(page.getByTestId('topic-produce-rate').locator('.stat-value')).toHaveText(nonZeroRate);
    await pwExpect(page.getByTestId('topic-consume-rate').locator('.stat-value')).toHaveText(nonZeroRate);
    const seen = await seenStats();
    for (const id of ['topic-produce-rate', 'topic-consume-rate']) {
      for (const value of seen[id]!.filter((v) => v !== '—')) expect(value).toMatch(nonZeroRate);
    }
  });

  it('draws the overview charts over the last 5 minutes with time and rate axes', async () => {
    const { page, url } = session;
    await page.goto(url('/'));
    const chart = page.getByTestId('chart').first();
    await pwExpect(chart.getByTestId('chart-x')).toHaveText(/^−5 min\s*−4 min\s*−3 min\s*−2 min\s*−1 min\s*now$/);
    await pwExpect(chart.getByTestId('chart-y')).toContainText('rec/s');
    // A y axis from 0 to a round number at or above the peak.
    const labels = await chart.getByTestId('chart-y').locator('span:not(.chart-unit)').allInnerTexts();
    expect(labels[0]).toBe('0');
    expect(labels.length).toBeGreaterThanOrEqual(2);
    // The history came with the first answer: a line, not "collecting…".
    await pwExpect(chart.locator('polyline')).toHaveCount(1);
  });
});

describe('the group lag chart', () => {
  it('has a time axis over 5 minutes and a records axis', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'lagging');
    await produceViaApi(
      node,
      'lagging',
      Array.from({ length: 30 }, (_, i) => ({ value: `v${i}` })),
    );
    await node.ok(`mutation { commitOffsets(group: "behind", offsets: [{ topic: "lagging", partition: 0, offset: 5 }]) { offset } }`);
    await page.goto(url('/groups/behind'));
    const chart = page.getByTestId('chart');
    await pwExpect(chart.getByTestId('chart-x')).toHaveText(/^−5 min\s*−4 min\s*−3 min\s*−2 min\s*−1 min\s*now$/);
    await pwExpect(chart.getByTestId('chart-y')).toContainText('records');
    await pwExpect(chart).toContainText('now 25 records');
  });
});

describe('partition rates on the topic page', () => {
  it('fall to 0 once a partition goes quiet, though nothing is pushed any more', async () => {
    const { page, url, node } = session;
    await createTopicViaApi(node, 'quieting');
    await page.goto(url('/topics/quieting'));
    const rate = page.locator('[data-testid=partitions-table] tr[data-partition="0"] td').nth(10);
    const stop = flow('quieting');
    try {
      await pwExpect(rate, 15_000).toHaveText(nonZeroRate);
    } finally {
      await stop();
    }
    // The meter's 10 s window empties and the page re-reads it without a push (generous bound).
    await pwExpect(rate, 30_000).toHaveText('0 rec/s');
  }, 60_000);
});
