/**
 * Open transactions on a topic's page, in a real Chromium against a real node: every transaction
 * open on the topic (and only those: not another topic's, not a finished one) with its
 * transactional id, producer id, epoch, state and age; Abort asks for confirmation (Cancel
 * changes nothing), then aborts it through adminAbortTransaction: the row goes, the node says
 * COMPLETE_ABORT and the producer is fenced.
 */
import { expect as pwExpect } from './pw-expect';
import { createTopicViaApi, openConsole, type ConsoleSession } from './console-harness';
import { GraphQLTxnProducer, TXN_MUTATIONS } from '../../support/graphql-txn-producer';

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

describe('open transactions on the topic page', () => {
  it("lists the topic's open transactions and aborts one after confirmation", async () => {
    const { page, url, node } = session;
    const run = (query: string, variables?: Record<string, unknown>) => node.ok(query, variables);
    await createTopicViaApi(node, 'txn-page', 2);
    await createTopicViaApi(node, 'txn-elsewhere');
    const hanging = new GraphQLTxnProducer(run, 'hanging-tx', 600_000);
    await hanging.write('txn-page', 1, ['h1']);
    const kept = new GraphQLTxnProducer(run, 'kept-tx', 600_000);
    await kept.write('txn-page', 0, ['k1']);
    const elsewhere = new GraphQLTxnProducer(run, 'elsewhere-tx', 600_000);
    await elsewhere.write('txn-elsewhere', 0, ['e1']);
    const finished = new GraphQLTxnProducer(run, 'finished-tx');
    await finished.write('txn-page', 0, ['f1']);
    await finished.end('COMMIT');

    await page.goto(url('/topics/txn-page'));
    const table = page.getByTestId('topic-transactions');
    await pwExpect(table.locator('tbody tr')).toHaveCount(2);
    const row = table.locator('tr[data-transactional-id="hanging-tx"]');
    await pwExpect(row.getByTestId('txn-producer-id')).toHaveText(String(hanging.producer!.producerId));
    await pwExpect(row.getByTestId('txn-epoch')).toHaveText(String(hanging.producer!.epoch));
    await pwExpect(row.getByTestId('txn-state')).toHaveText('Ongoing');
    await pwExpect(row.getByTestId('txn-age')).toHaveText(/^\d[\d.,]* (ms|s|min)$/);
    await pwExpect(table.locator('tr[data-transactional-id="kept-tx"]')).toBeVisible();

    // Cancel changes nothing.
    await row.getByRole('button', { name: 'Abort' }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort transaction hanging-tx?' });
    await pwExpect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await pwExpect(dialog).toBeHidden();
    const stateOf = async (id: string) =>
      (await node.ok(`{ transactions { transactionalId state } }`)).transactions.find(
        (t: { transactionalId: string }) => t.transactionalId === id,
      )?.state;
    expect(await stateOf('hanging-tx')).toBe('ONGOING');

    await row.getByRole('button', { name: 'Abort' }).click();
    await page.getByRole('dialog', { name: 'Abort transaction hanging-tx?' }).getByRole('button', { name: 'Abort transaction' }).click();
    await pwExpect(table.locator('tr[data-transactional-id="hanging-tx"]')).toHaveCount(0);
    await pwExpect(table.locator('tbody tr')).toHaveCount(1);
    expect(await stateOf('hanging-tx')).toBe('COMPLETE_ABORT');
    expect(await stateOf('kept-tx')).toBe('ONGOING');
    expect(await node.errorCode(TXN_MUTATIONS.commit, { p: hanging.producer })).toBe('PRODUCER_FENCED');

    await kept.end('COMMIT');
    await pwExpect(page.getByTestId('topic-transactions-none')).toBeVisible();
    await elsewhere.end('ABORT');
  });
});
