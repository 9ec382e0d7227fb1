/**
 * A live copy of every key under one etcd prefix: a range read, then a watch from the revision
 * after it, so no change is missed between the two (the etcd3 watcher resumes from its last
 * revision when it reconnects). Each change is applied to the copy first, then told to the
 * listeners, synchronously and in revision order.
 */
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';

export interface MirroredKey {
  readonly value: string;
  readonly modRevision: number;
  readonly createRevision: number;
}

export interface PrefixListener {
  put?(key: string, entry: MirroredKey, previous: MirroredKey | undefined): void;
  delete?(key: string, previous: MirroredKey | undefined): void;
}

export class PrefixMirror {
  readonly entries = new Map<string, MirroredKey>();
  private readonly listeners: PrefixListener[] = [];
  private watcher: Watcher | null = null;

  private constructor(private readonly prefix: string) {}

  static async open(client: Etcd3, prefix: string, onError: (error: unknown) => void): Promise<PrefixMirror> {
    const mirror = new PrefixMirror(prefix);
    const read = await client.getAll().prefix(prefix).exec();
    for (const kv of read.kvs) mirror.entries.set(kv.key.toString(), entryOf(kv));
    const watcher = await client
      .watch()
      .prefix(prefix)
      .startRevision(String(Number(read.header.revision) + 1))
      .create();
    watcher.on('put', (kv) => mirror.applyPut(kv));
    watcher.on('delete', (kv) => mirror.applyDelete(kv));
    watcher.on('error', onError);
    mirror.watcher = watcher;
    return mirror;
  }

  listen(listener: PrefixListener): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await this.watcher?.cancel();
    this.watcher = null;
  }

  private applyPut(kv: IKeyValue): void {
    const key = kv.key.toString();
    const entry = entryOf(kv);
    const previous = this.entries.get(key);
    if (previous && previous.modRevision >= entry.modRevision) return;
    this.entries.set(key, entry);
    for (const listener of this.listeners) listener.put?.(key, entry, previous);
  }

  private applyDelete(kv: IKeyValue): void {
    const key = kv.key.toString();
    const previous = this.entries.get(key);
    if (!previous) return;
    this.entries.delete(key);
    for (const listener of this.listeners) listener.delete?.(key, previous);
  }
}

function entryOf(kv: IKeyValue): MirroredKey {
  return { value: kv.value.toString(), modRevision: Number(kv.mod_revision), createRevision: Number(kv.create_revision) };
}
