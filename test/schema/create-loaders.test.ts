import type { Broker } from '../../server/broker/index';
import { createLoaders } from '../../schema/loaders/create-loaders';

function countingBroker() {
  const calls: string[][] = [];
  const broker = {
    describeTopics: (names: readonly string[]) => {
      calls.push([...names]);
      return names.map((name) => (name === 'missing' ? null : { name }));
    },
    describePartitions: (keys: readonly { topic: string; partition: number }[]) => {
      calls.push(keys.map((k) => `${k.topic}-${k.partition}`));
      return keys.map((k) => ({ topic: k.topic, partition: k.partition }));
    },
    describeGroups: (ids: readonly string[]) => {
      calls.push([...ids]);
      return ids.map(() => null);
    },
  } as unknown as Broker;
  return { broker, calls };
}

describe('per-request loaders', () => {
  it('batch the lookups of one tick into one broker call, aligned with the keys', async () => {
    const { broker, calls } = countingBroker();
    const loaders = createLoaders(broker);
    const [a, b, missing] = await Promise.all(['a', 'b', 'missing'].map((name) => loaders.topicByName.load(name)));
    expect([a, b, missing]).toEqual([{ name: 'a' }, { name: 'b' }, null]);
    const partitions = await Promise.all([0, 1, 2].map((partition) => loaders.partitionState.load({ topic: 't', partition })));
    expect(partitions.map((p) => p?.partition)).toEqual([0, 1, 2]);
    expect(calls).toEqual([
      ['a', 'b', 'missing'],
      ['t-0', 't-1', 't-2'],
    ]);
  });

  it('cache within a request, and not at all for subscriptions', async () => {
    const request = countingBroker();
    const cached = createLoaders(request.broker);
    await cached.topicByName.load('a');
    await cached.topicByName.load('a');
    expect(request.calls).toHaveLength(1);
    const subscription = countingBroker();
    const uncached = createLoaders(subscription.broker, { cache: false });
    await uncached.topicByName.load('a');
    await uncached.topicByName.load('a');
    expect(subscription.calls).toHaveLength(2);
  });
});
