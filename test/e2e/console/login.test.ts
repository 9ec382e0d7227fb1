/**
 * The console against a node with `--auth required`: it shows a login form (the node answered
 * UNAUTHENTICATED), a wrong key is refused, the right one shows the views and who is logged in,
 * the key lives in sessionStorage only (not localStorage, not a cookie), live views work over the
 * authenticated WebSocket, and logging out asks again.
 */
import { expect as pwExpect } from './pw-expect';
import { openConsole, type ConsoleSession } from './console-harness';

const ADMIN = 'console-admin-secret-0123456789';
let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsole({ nodeArgs: ['--auth', 'required', '--bootstrap-admin-key', ADMIN] });
}, 60_000);

afterAll(async () => {
  await session?.close();
});

test('login with an API key, whoami shown, key in sessionStorage only, logout', async () => {
  const { page, node } = session;
  const admin = { authorization: `Bearer ${ADMIN}` };
  const created = await node.gql('mutation { createTopic(input: {name: "secured"}) { name } }', {}, admin);
  expect(created.errors).toBeUndefined();
  await page.goto(session.url('/topics'));
  const form = page.getByRole('form', { name: 'Log in' });
  await pwExpect(form).toBeVisible();
  await page.getByLabel('API key').fill('lw_0123456789abcdef_wrongwrongwrongwrongwrongwrongwrongwrongwro');
  await page.getByRole('button', { name: 'Log in' }).click();
  await pwExpect(page.locator('[role=alert][data-code=UNAUTHENTICATED]')).toBeVisible();

  await page.getByLabel('API key').fill(ADMIN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await pwExpect(page.getByRole('link', { name: 'secured' })).toBeVisible();
  await pwExpect(page.getByTestId('whoami')).toContainText('User:admin');
  // The live connection authenticates with the same key.
  await page.goto(session.url('/topics/secured'));
  await pwExpect(page.getByTestId('live-state')).toHaveText('live');
  // A string: this project's test type-check has no DOM lib.
  const storage = await page.evaluate(
    "({ session: sessionStorage.getItem('logway.apiKey'), local: JSON.stringify(localStorage), cookie: document.cookie })",
  );
  expect(storage).toEqual({ session: ADMIN, local: '{}', cookie: '' });

  await page.getByRole('button', { name: 'Log out' }).click();
  await pwExpect(form).toBeVisible();
  expect(await page.evaluate("sessionStorage.getItem('logway.apiKey')")).toBeNull();
  expect(session.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('the Access page: create a key (secret shown once), add and delete an ACL, revoke the key', async () => {
  const { page, node } = session;
  await page.goto(session.url('/access'));
  // The previous test logged out (sessionStorage is empty), so the node's first 401 brings the form.
  await pwExpect(page.getByRole('form', { name: 'Log in' })).toBeVisible();
  await page.getByLabel('API key').fill(ADMIN);
  await page.getByRole('button', { name: 'Log in' }).click();
  const keyForm = page.getByRole('form', { name: 'Create API key' });
  await keyForm.getByLabel('Principal').fill('User:ui');
  await keyForm.getByLabel('Description').fill('made in the console');
  await keyForm.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-secret').locator('code').textContent())!.trim();
  expect(secret).toMatch(/^lw_[0-9a-f]{16}_/);
  expect((await node.gql('{ whoami }', {}, { authorization: `Bearer ${secret}` })).data.whoami).toBe('User:ui');
  await pwExpect(page.getByTestId('api-keys')).toContainText('made in the console');

  const aclForm = page.getByRole('form', { name: 'Add ACL' });
  await aclForm.getByLabel('Principal').fill('User:ui');
  await aclForm.getByLabel('Resource name').fill('ui-');
  await aclForm.getByLabel('Pattern').selectOption('PREFIXED');
  await aclForm.getByLabel('Operation').selectOption('WRITE');
  await aclForm.getByRole('button', { name: 'Add ACL' }).click();
  const row = page.locator('[data-acl="User:ui ALLOW WRITE TOPIC PREFIXED ui- *"]');
  await pwExpect(row).toBeVisible();
  const admin = { authorization: `Bearer ${ADMIN}` };
  expect((await node.gql('{ acls(filter: {principal: "User:ui"}) { operation } }', {}, admin)).data.acls).toEqual([{ operation: 'WRITE' }]);
  await row.getByRole('button', { name: 'Delete' }).click();
  await pwExpect(row).toHaveCount(0);
  expect((await node.gql('{ acls(filter: {principal: "User:ui"}) { operation } }', {}, admin)).data.acls).toEqual([]);

  const keyId = secret.split('_')[1]!;
  await page.locator(`[data-key="${keyId}"]`).getByRole('button', { name: 'Revoke' }).click();
  await pwExpect(page.locator(`[data-key="${keyId}"]`)).toHaveCount(0);
  expect((await node.gql('{ whoami }', {}, { authorization: `Bearer ${secret}` })).status).toBe(401);
  expect(session.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
});
