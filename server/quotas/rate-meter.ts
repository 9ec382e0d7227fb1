/**
 * A byte rate measured the way Kafka's client quotas measure it (KIP-13; Kafka's `Rate` over a
 * `SampledStat`): `samples` consecutive samples of `sampleMs` each (quota.window.num 11 ×
 * quota.window.size.seconds 1 by default). A sample older than samples × sampleMs is forgotten.
 * The rate is the bytes of the live samples over the time they cover, that time being at least
 * (samples − 1) full samples, so one burst after a quiet spell is spread over 10 s rather than
 * measured over the milliseconds it took. Pure: time is passed in (the node's Clock).
 *
 * Not safe for concurrent use from several threads (there are none: single-threaded JS).
 */

export interface RateWindow {
  /** How many samples (Kafka's quota.window.num, 11). */
  samples: number;
  /** How long one sample lasts, in ms (Kafka's quota.window.size.seconds, 1 s). */
  sampleMs: number;
}

export const QUOTA_WINDOW: Readonly<RateWindow> = Object.freeze({ samples: 11, sampleMs: 1_000 });

interface Sample {
  startMs: number;
  bytes: number;
}

export class RateMeter {
  /** Oldest first; at most `samples` entries. */
  readonly #samples: Sample[] = [];

  constructor(private readonly window: RateWindow = QUOTA_WINDOW) {}

  record(bytes: number, nowMs: number): void {
    this.#purge(nowMs);
    const current = this.#samples[this.#samples.length - 1];
    if (current && nowMs < current.startMs + this.window.sampleMs) {
      current.bytes += bytes;
      return;
    }
    this.#samples.push({ startMs: nowMs, bytes });
    if (this.#samples.length > this.window.samples) this.#samples.shift();
  }

  /** Bytes per second over the window (0 with nothing recorded in it). */
  rate(nowMs: number): number {
    this.#purge(nowMs);
    let bytes = 0;
    for (const sample of this.#samples) bytes += sample.bytes;
    return bytes === 0 ? 0 : bytes / (this.windowMs(nowMs) / 1_000);
  }

  /** The time the live samples cover, at least (samples − 1) full samples (Kafka's Rate.windowSize). */
  windowMs(nowMs: number): number {
    const oldest = this.#samples[0];
    let elapsedMs = oldest ? Math.max(0, nowMs - oldest.startMs) : 0;
    const fullSamples = Math.floor(elapsedMs / this.window.sampleMs);
    const minFullSamples = this.window.samples - 1;
    if (fullSamples < minFullSamples) elapsedMs += (minFullSamples - fullSamples) * this.window.sampleMs;
    return elapsedMs;
  }

  #purge(nowMs: number): void {
    const expireAgeMs = this.window.samples * this.window.sampleMs;
    while (this.#samples.length > 0 && nowMs - this.#samples[0]!.startMs >= expireAgeMs) this.#samples.shift();
  }
}

/** Throttles are bounded: a client is never held longer than this for one call (30 s). */
export const THROTTLE_TIME_MAX_MS = 30_000;

/**
 * How long to hold a client whose measured rate is over its quota (Kafka's
 * ClientQuotaManager.throttleTime): (observed − quota) / quota × window, so that waiting it brings
 * the rate over the window back to the quota. 0 at or under the quota.
 */
export function throttleTimeMs(meter: RateMeter, quotaBytesPerS: number, nowMs: number): number {
  const observed = meter.rate(nowMs);
  if (observed <= quotaBytesPerS) return 0;
  const delayMs = ((observed - quotaBytesPerS) / quotaBytesPerS) * meter.windowMs(nowMs);
  return Math.min(THROTTLE_TIME_MAX_MS, Math.max(1, Math.round(delayMs)));
}
