/**
 * Retrying assertions on playwright-core locators (playwright-core has no `expect`; that ships
 * in @playwright/test, which would bring its own runner). Each matcher polls the page every
 * 50 ms until it holds or `timeoutMs` (default 10 s) passes, then fails with what it last saw.
 */
import type { Locator } from 'playwright-core';

const POLL_MS = 50;

async function poll(what: string, timeoutMs: number, check: () => Promise<{ ok: boolean; seen: unknown }>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result.ok) return;
      last = result.seen;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeoutMs} ms; last saw ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const text = (locator: Locator) => locator.innerText({ timeout: 1_000 });

export function expect(locator: Locator, timeoutMs = 10_000) {
  return {
    toBeVisible: () => poll(`${locator} to be visible`, timeoutMs, async () => ({ ok: await locator.isVisible(), seen: 'hidden' })),
    toBeHidden: () => poll(`${locator} to be hidden`, timeoutMs, async () => ({ ok: await locator.isHidden(), seen: 'visible' })),
    toHaveCount: (count: number) =>
      poll(`${locator} count ${count}`, timeoutMs, async () => {
        const seen = await locator.count();
        return { ok: seen === count, seen };
      }),
    toHaveText: (expected: string | RegExp) =>
      poll(`${locator} text ${expected}`, timeoutMs, async () => {
        const seen = (await text(locator)).trim();
        return { ok: typeof expected === 'string' ? seen === expected : expected.test(seen), seen };
      }),
    toContainText: (expected: string) =>
      poll(`${locator} to contain ${expected}`, timeoutMs, async () => {
        const seen = await text(locator);
        return { ok: seen.includes(expected), seen };
      }),
    toBeDisabled: () =>
      poll(`${locator} to be disabled`, timeoutMs, async () => ({ ok: await locator.isDisabled({ timeout: 1_000 }), seen: 'enabled' })),
    toBeEnabled: () =>
      poll(`${locator} to be enabled`, timeoutMs, async () => ({ ok: await locator.isEnabled({ timeout: 1_000 }), seen: 'disabled' })),
  };
}

/** Polls any async value until the predicate holds. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  predicate: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  let value!: T;
  await poll(what, timeoutMs, async () => {
    value = await read();
    return { ok: predicate(value), seen: value };
  });
  return value;
}
