import { mapConcurrent } from '../../../server/broker/map-concurrent';

describe('mapConcurrent', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapConcurrent(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (item) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (item * 7) % 5));
        inFlight--;
        return item * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(peak).toBe(4);
  });

  it('rejects when one item fails', async () => {
    await expect(
      mapConcurrent([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('boom');
        return item;
      }),
    ).rejects.toThrow('boom');
  });
});
