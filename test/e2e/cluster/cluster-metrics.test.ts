/**
 * The cluster's Prometheus metrics on real nodes (GET /metrics) through an ISR shrink and expand:
 * a follower of an RF 3 partition is paused (SIGSTOP) past replica.lag.time.max.ms but well inside
 * its lease, so the leader shrinks it out (under-replicated 1, a shrink counted, the follower's lag
 * in records shows the records it missed); resumed, it catches up and the leader expands the ISR
 * (an expand counted, under-replicated 0). Exactly one node reports itself controller, and the
 * controller reports 0 offline partitions. Bounded waits only, no timing asserted.
 */
import { useTestCluster } from '../../support/cluster/cluster-harness';

jest.setTimeout(180_000);

/** A short lag limit and a long lease: the leader's own ISR shrink comes long before the lease could expire. */
const ARGS = ['--replica-lag-time-max-ms', '1500', '--cluster-session-timeout-ms', '30000'];

describe('cluster metrics', () => {
  const cluster = useTestCluster(3, ARGS);

  async function scrape(nodeId: number): Promise<string> {
    const url = cluster.node(nodeId).process!.url.replace(/\/graphql$/, '/metrics');
    return (await fetch(url)).text();
  }

  function value(text: string, name: string, labels = ''): number | undefined {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  it('shows the ISR shrink and expand, the follower lag, and the controller', async () => {
    await cluster.ok(1, `mutation { createTopic(input: { name: "watched", partitions: 1, replicationFactor: 3 }) { name } }`);
    const placed = await cluster.leaderView('watched', 0, true);
    const leader = placed.leader!;
    const follower = placed.replicas.find((id) => id !== leader)!;
    await cluster.produce('watched', 0, ['a', 'b']);
    const before = await scrape(leader);
    expect(value(before, 'logway_under_replicated_partitions')).toBe(0);
    const shrinksBefore = value(before, 'logway_isr_shrinks_total')!;
    const expandsBefore = value(before, 'logway_isr_expands_total')!;

    cluster.pause(follower);
    try {
      await cluster.waitFor('the leader to shrink the paused follower out', async () => {
        const p = await cluster.partition(leader, 'watched');
        return p && !p.isr.includes(follower) ? p : undefined;
      });
      await cluster.produce('watched', 0, ['c', 'd', 'e']);
      const during = await scrape(leader);
      expect(value(during, 'logway_under_replicated_partitions')).toBe(1);
      expect(value(during, 'logway_isr_shrinks_total')).toBeGreaterThan(shrinksBefore);
      const labels = `{topic="watched",partition="0",replica="${follower}"}`;
      expect(value(during, 'logway_follower_lag_records', labels)).toBeGreaterThanOrEqual(3);
      expect(value(during, 'logway_follower_lag_ms', labels)).toBeGreaterThan(0);
    } finally {
      cluster.resume(follower);
    }

    await cluster.leaderView('watched', 0, true);
    const after = await cluster.waitFor('the expand counted and nothing under-replicated', async () => {
      const text = await scrape(leader);
      return value(text, 'logway_under_replicated_partitions') === 0 && value(text, 'logway_isr_expands_total')! > expandsBefore
        ? text
        : undefined;
    });
    expect(value(after, 'logway_follower_lag_records', `{topic="watched",partition="0",replica="${follower}"}`)).toBe(0);

    const scrapes = await Promise.all([1, 2, 3].map(scrape));
    const controllers = scrapes.filter((text) => value(text, 'logway_is_controller') === 1);
    expect(controllers).toHaveLength(1);
    expect(value(controllers[0]!, 'logway_offline_partitions')).toBe(0);
    expect(value(controllers[0]!, 'logway_controller_changes_total')).toBeGreaterThanOrEqual(1);
  });
});
