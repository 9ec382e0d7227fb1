/**
 * Seeded simulation of the data plane: three nodes with real logs, the real fetchers, leader
 * answers and ISR manager, over an in-memory twin network (seeded delays and drops) and an
 * in-memory control plane twin. Per seed: many partitions, random acks ALL / LEADER produces,
 * random clean leader elections from the ISR, nodes that stop fetching for a while. After healing
 * acks ALL works again on every partition, and:
 * no acknowledged record is lost (each is at its offset on the final leader), every replica is
 * byte-identical below the HW, and divergent tails are gone (the logs are identical to their end).
 */
import { prng, randomInt } from '../../../support/prng';
import { readAllValues, records } from '../../../support/log-builders';
import { ControlPlaneTwin } from '../../../support/replication/control-plane-twin';
import { InMemoryNetwork } from '../../../support/replication/in-memory-network';
import { logBytes, ReplicationNode, waitUntil } from '../../../support/replication/replication-node';

const TOPIC = 'sim';
const PARTITIONS = 4;
const NODE_COUNT = 3;
const STEPS = 80;

interface Acked {
  partition: number;
  baseOffset: number;
  values: string[];
}

let nodes: ReplicationNode[] = [];
let faultPhaseAcks = 0;
afterEach(async () => {
  for (const node of nodes) await node.close();
  nodes = [];
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function simulate(seed: number): Promise<{ acked: number; elections: number; dropped: number }> {
  const random = prng(seed);
  const network = new InMemoryNetwork(random, { dropRate: 0.05, maxDelayMs: 8 });
  const twin = new ControlPlaneTwin();
  nodes = [];
  for (let id = 0; id < NODE_COUNT; id++)
    nodes.push(await ReplicationNode.start(id, twin, { network, replicaLagTimeMaxMs: 300, fetch: { maxWaitMs: 50 } }));
  const all = nodes.map((n) => n.id);
  for (let p = 0; p < PARTITIONS; p++) await twin.write(TOPIC, p, { leaderId: p % NODE_COUNT, leaderEpoch: 1, replicas: all, isr: all });

  const acked: Acked[] = [];
  const inFlight: Promise<void>[] = [];
  const stopped = new Set<number>();
  let elections = 0;
  for (let step = 0; step < STEPS; step++) {
    const action = random();
    const p = randomInt(random, PARTITIONS);
    const state = twin.state(TOPIC, p);
    if (action < 0.6) {
      const count = 1 + randomInt(random, 4);
      const acks = random() < 0.7 ? 'ALL' : 'LEADER';
      const batch = records(count, `s${seed}-${step}-`);
      const partition = nodes[state.leaderId!]!.partition(TOPIC, p);
      inFlight.push(
        (async () => {
          const { result } = await partition.appendRecordsToLeader(batch, acks, 2);
          if (acks === 'ALL') await partition.awaitReplicas(result.lastOffset + 1, 2, 3_000);
          if (acks === 'ALL') acked.push({ partition: p, baseOffset: result.baseOffset, values: batch.map((r) => r.value!.toString()) });
        })().catch(() => undefined),
      ); // refused, timed out or deposed: not acknowledged
    } else if (action < 0.75) {
      const candidates = state.isr.filter((id) => id !== state.leaderId);
      if (candidates.length > 0) {
        elections++;
        await twin.elect(TOPIC, p, candidates[randomInt(random, candidates.length)]!);
      }
    } else if (action < 0.82 && stopped.size === 0) {
      const victim = randomInt(random, NODE_COUNT);
      stopped.add(victim);
      await nodes[victim]!.stopFetching();
    } else if (action < 0.9 && stopped.size > 0) {
      for (const id of stopped) await nodes[id]!.resumeFetching();
      stopped.clear();
    } else {
      await sleep(randomInt(random, 40));
    }
  }
  // Heal: everyone fetching, no drops; wait for every produce to settle and every replica to catch up.
  for (const id of stopped) await nodes[id]!.resumeFetching();
  network.faults.dropRate = 0;
  await Promise.all(inFlight);
  await waitUntil(
    () => {
      for (let p = 0; p < PARTITIONS; p++) {
        const state = twin.state(TOPIC, p);
        const leader = nodes[state.leaderId!]!.partition(TOPIC, p);
        if (state.isr.length !== NODE_COUNT || leader.highWatermark !== leader.logEndOffset) return false;
        if (nodes.some((n) => n.log(TOPIC, p).logEndOffset !== leader.logEndOffset)) return false;
      }
      return true;
    },
    `seed ${seed}: all replicas caught up and in the ISR`,
    60_000,
  ).catch((error: Error) => {
    const states = Array.from({ length: PARTITIONS }, (_, p) => {
      const state = twin.state(TOPIC, p);
      return (
        `p${p} leader ${state.leaderId} epoch ${state.leaderEpoch} isr [${state.isr}] ` +
        nodes
          .map((n) => {
            const r = n.partition(TOPIC, p);
            // The local view too (its ISR, the follower LEOs a leader knows), so a stuck ISR says which side is stuck.
            const known = r.role === 'LEADER' ? ` knows ${JSON.stringify(r.replicas.map((id) => [id, r.replicaLogEndOffset(id)]))}` : '';
            return `n${n.id}:${r.role}/e${r.leaderEpoch} isr [${r.isr}]${known} leo ${n.log(TOPIC, p).logEndOffset} hw ${n.log(TOPIC, p).highWatermark} epochs ${JSON.stringify(n.log(TOPIC, p).leaderEpochCache.entries())}`;
          })
          .join(' | ')
      );
    });
    throw new Error(`${error.message}\n${states.join('\n')}`);
  });

  // Healed, the cluster takes acks ALL again on every partition (liveness), and these count as
  // acknowledged too: a seed whose every produce fell into a fault window still checks something.
  for (let p = 0; p < PARTITIONS; p++) {
    const batch = records(1, `s${seed}-healed-`);
    const partition = nodes[twin.state(TOPIC, p).leaderId!]!.partition(TOPIC, p);
    const { result } = await partition.appendRecordsToLeader(batch, 'ALL', 2);
    await partition.awaitReplicas(result.lastOffset + 1, 2, 30_000);
    acked.push({ partition: p, baseOffset: result.baseOffset, values: batch.map((r) => r.value!.toString()) });
  }

  for (let p = 0; p < PARTITIONS; p++) {
    const leaderNode = nodes[twin.state(TOPIC, p).leaderId!]!;
    const leaderLog = leaderNode.log(TOPIC, p);
    const byOffset = new Map((await readAllValues(leaderLog)).map((r) => [r.offset, r.value]));
    for (const a of acked.filter((x) => x.partition === p)) {
      expect({ seed, partition: p, offset: a.baseOffset, values: a.values.map((_, i) => byOffset.get(a.baseOffset + i)) }).toEqual({
        seed,
        partition: p,
        offset: a.baseOffset,
        values: a.values,
      });
    }
    const expected = await logBytes(leaderLog, leaderLog.highWatermark);
    for (const node of nodes)
      expect({
        seed,
        partition: p,
        node: node.id,
        identical: (await logBytes(node.log(TOPIC, p), leaderLog.highWatermark)).equals(expected),
      }).toEqual({ seed, partition: p, node: node.id, identical: true });
  }
  return { acked: acked.length, elections, dropped: network.dropped };
}

it.each(Array.from({ length: 16 }, (_, i) => i + 1))(
  'seed %i: no acknowledged record lost, replicas identical, divergent tails truncated',
  async (seed) => {
    const outcome = await simulate(seed);
    faultPhaseAcks += outcome.acked - PARTITIONS; // beyond the healed ones
    expect(outcome.elections).toBeGreaterThan(0);
  },
  120_000,
);

// The seeds exercised what they claim to (else they could pass vacuously): writes acknowledged
// while the faults ran. Summed over the seeds: on a loaded machine one seed's every acks ALL
// may fall into a fault window and time out, which is an honest outcome, not a lost write.
it('acknowledged writes during the faults', () => {
  expect(faultPhaseAcks).toBeGreaterThan(0);
});
