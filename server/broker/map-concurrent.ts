/**
 * Maps items with at most `concurrency` promises in flight, results in input order. Opening
 * 10,000 partitions one after another waits on each one's file I/O in turn; 16 at a time keeps
 * the disk busy without opening thousands of files at once.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
