/**
 * Runs async critical sections one at a time, in arrival order. The topic admin use cases hold it
 * so that a create and a delete of the same name, or two createPartitions, never interleave
 * between their catalog write and their log changes.
 */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
