/**
 * Client quotas per principal (server/security/README.md "Quotas"): Kafka's producer_byte_rate
 * and consumer_byte_rate. The rows live in the catalog (table Quota) and in memory; a change
 * writes the catalog first, then the map, so a failed write changes nothing. Each principal with
 * a quota in a direction gets a RateMeter; `recordProduce` / `recordConsume` add the bytes just
 * served and answer how long to hold the client (0: not over its quota). Nothing is refused.
 * `User:*` is the default for principals without a row of their own (Kafka's <default> entity),
 * each principal still measured on its own. Rows changed elsewhere (another node, in a cluster)
 * are reloaded when the store reports it.
 */
import type { QuotaRecord, SecurityCatalog } from '../catalog/catalog';
import { RateMeter, throttleTimeMs, type RateWindow, QUOTA_WINDOW } from './rate-meter';

export const DEFAULT_QUOTA_PRINCIPAL = 'User:*';

export interface QuotaView {
  principal: string;
  producerByteRate: number | null;
  consumerByteRate: number | null;
  updatedAtMs: number;
}

type Direction = 'producerByteRate' | 'consumerByteRate';

/** Meters of principals that stopped calling are dropped past this many (each is a few samples). */
const METERS_MAX = 10_000;

export class Quotas {
  readonly #rows = new Map<string, QuotaView>();
  readonly #meters = { producerByteRate: new Map<string, RateMeter>(), consumerByteRate: new Map<string, RateMeter>() };

  private constructor(
    private readonly catalog: SecurityCatalog,
    private readonly nowMs: () => number,
    private readonly window: RateWindow,
  ) {}

  static async open(catalog: SecurityCatalog, nowMs: () => number, window: RateWindow = QUOTA_WINDOW): Promise<Quotas> {
    const quotas = new Quotas(catalog, nowMs, window);
    await quotas.#reload();
    catalog.onChange?.((change) => {
      if (change.kind === 'quotas') void quotas.#reload();
    });
    return quotas;
  }

  async #reload(): Promise<void> {
    const rows = await this.catalog.listQuotas();
    this.#rows.clear();
    for (const row of rows) this.#rows.set(row.principal, Object.freeze({ ...row }));
  }

  list(): QuotaView[] {
    return [...this.#rows.values()].sort((a, b) => a.principal.localeCompare(b.principal));
  }

  async set(principal: string, producerByteRate: number | null, consumerByteRate: number | null): Promise<QuotaView> {
    const row: QuotaRecord = { principal, producerByteRate, consumerByteRate, updatedAtMs: this.nowMs() };
    await this.catalog.putQuota(row);
    const view = Object.freeze({ ...row });
    this.#rows.set(principal, view);
    return view;
  }

  async delete(principal: string): Promise<boolean> {
    const deleted = await this.catalog.deleteQuota(principal);
    this.#rows.delete(principal);
    return deleted;
  }

  /** The quota that applies to `principal` in one direction: its own row, else `User:*`'s; null: unlimited. */
  effective(principal: string, direction: Direction): number | null {
    const own = this.#rows.get(principal);
    if (own) return own[direction];
    return this.#rows.get(DEFAULT_QUOTA_PRINCIPAL)?.[direction] ?? null;
  }

  /** Records `bytes` produced by `principal`; the throttle time in ms (0 when within quota or unlimited). */
  recordProduce(principal: string, bytes: number): number {
    return this.#record(principal, 'producerByteRate', bytes);
  }

  /** Records `bytes` delivered to `principal`; the throttle time in ms. */
  recordConsume(principal: string, bytes: number): number {
    return this.#record(principal, 'consumerByteRate', bytes);
  }

  #record(principal: string, direction: Direction, bytes: number): number {
    const quota = this.effective(principal, direction);
    if (quota === null) return 0;
    const meters = this.#meters[direction];
    let meter = meters.get(principal);
    if (!meter) {
      if (meters.size >= METERS_MAX) meters.delete(meters.keys().next().value as string);
      meter = new RateMeter(this.window);
      meters.set(principal, meter);
    }
    const nowMs = this.nowMs();
    meter.record(bytes, nowMs);
    return throttleTimeMs(meter, quota, nowMs);
  }
}

/** The bytes a record counts for against a quota: key, value and header keys and values, as stored. */
export function recordQuotaBytes(record: {
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly { key: string; value: Buffer | null }[];
}): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers) bytes += Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  return bytes;
}
