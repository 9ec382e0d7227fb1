/**
 * Client quotas in the broker's use cases (server/security/README.md "Quotas"), Kafka's way: the
 * work is done first (records appended, a batch read), its bytes are recorded against the
 * caller's principal, and when that puts the principal over its quota the answer is held back
 * for the throttle time (on the broker's Scheduler) and reports it. Nothing is refused, dropped
 * or re-ordered. The node itself (caller null) is never throttled.
 */
import type { Scheduler } from '../../storage/index';
import { recordQuotaBytes, type Quotas } from '../quotas/quotas';
import { principalName } from '../security/principal';
import type { Caller } from './access';
import { sleep } from './cancellable';
import type { ProduceRecord, RecordBatchEvent } from './types';

const NEVER_ABORTED = new AbortController().signal;

export class QuotaThrottle {
  constructor(
    private readonly quotas: Quotas | null,
    private readonly scheduler: Scheduler,
  ) {}

  /** After a produce: records its bytes, waits the throttle time if any, and answers it (0: none). */
  async afterProduce(caller: Caller, records: readonly ProduceRecord[]): Promise<number> {
    if (!this.quotas || !caller) return 0;
    let bytes = 0;
    for (const record of records) bytes += recordQuotaBytes(record);
    const throttleTimeMs = this.quotas.recordProduce(principalName(caller.principal), bytes);
    if (throttleTimeMs > 0) await sleep(this.scheduler, throttleTimeMs, NEVER_ABORTED);
    return throttleTimeMs;
  }

  /** Before batches are handed to a consumer: records their bytes, waits the throttle time if any (ending early when `signal` aborts), answers it. */
  async beforeDelivery(caller: Caller, batches: readonly RecordBatchEvent[], signal: AbortSignal = NEVER_ABORTED): Promise<number> {
    if (!this.quotas || !caller) return 0;
    let bytes = 0;
    for (const batch of batches) for (const record of batch.records) bytes += recordQuotaBytes(record);
    if (bytes === 0) return 0;
    const throttleTimeMs = this.quotas.recordConsume(principalName(caller.principal), bytes);
    if (throttleTimeMs > 0) await sleep(this.scheduler, throttleTimeMs, signal);
    return throttleTimeMs;
  }

  /** A live stream whose batches are held back while its reader is over its consumer quota; each batch says how long (`throttleTimeMs`). */
  throttleStream(caller: Caller, inner: AsyncIterableIterator<RecordBatchEvent>): AsyncIterableIterator<RecordBatchEvent> {
    if (!this.quotas || !caller) return inner;
    const controller = new AbortController();
    return {
      next: async () => {
        const result = await inner.next();
        if (result.done) return result;
        const throttleTimeMs = await this.beforeDelivery(caller, [result.value], controller.signal);
        return throttleTimeMs > 0 ? { done: false, value: { ...result.value, throttleTimeMs } } : result;
      },
      return: async (value?: unknown) => {
        controller.abort();
        return inner.return ? inner.return(value) : { done: true, value: value as RecordBatchEvent };
      },
      throw: async (error?: unknown) => {
        controller.abort();
        if (inner.throw) return inner.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
