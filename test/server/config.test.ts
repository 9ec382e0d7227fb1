/** server/config.ts: the free-space guard's settings (flags over environment over Redpanda's defaults). */
import { ConfigError, loadConfig } from '../../server/config';

describe('config: free-space guard', () => {
  it('defaults to keeping min(1 GiB, 5%) free', () => {
    expect(loadConfig([], {})).toMatchObject({ storageMinFreeBytes: 1024 ** 3, storageMinFreePercent: 5 });
  });

  it('takes flags over environment variables, and 0 (guard off)', () => {
    const env = { LOGWAY_STORAGE_MIN_FREE_BYTES: '5000000', LOGWAY_STORAGE_MIN_FREE_PERCENT: '10' };
    expect(loadConfig([], env)).toMatchObject({ storageMinFreeBytes: 5_000_000, storageMinFreePercent: 10 });
    expect(loadConfig(['--storage-min-free-bytes', '0'], env)).toMatchObject({ storageMinFreeBytes: 0, storageMinFreePercent: 10 });
  });

  it('refuses a percentage outside 0–100 and a non-integer byte count', () => {
    expect(() => loadConfig(['--storage-min-free-percent', '101'], {})).toThrow(ConfigError);
    expect(() => loadConfig([], { LOGWAY_STORAGE_MIN_FREE_BYTES: '1GiB' })).toThrow(ConfigError);
  });
});
