/**
 * Reads the node's /metrics gauges from tests, and waits for one to reach a value: tests wait for
 * a condition (a subscription is live) instead of sleeping a fixed time that assumes an idle machine.
 */
import type { TestNode } from './test-node';

/** `logway_active_subscriptions`: graphql-ws subscriptions the node is serving right now. */
export async function activeSubscriptions(t: TestNode): Promise<number> {
  const text = await (await fetch(t.node.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^logway_active_subscriptions (\d+)$/m.exec(text)?.[1] ?? NaN);
}

/** Polls the gauge until it shows `count`; the bound is a guard that it happens at all, not a timing. */
export async function untilActiveSubscriptions(t: TestNode, count: number, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if ((await activeSubscriptions(t)) === count) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: logway_active_subscriptions never became ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
