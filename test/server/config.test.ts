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

describe('config: TLS files', () => {
  it('takes both files (flags or environment) as absolute paths, or neither', () => {
    expect(loadConfig([], {})).toMatchObject({ tlsCertFile: null, tlsKeyFile: null });
    expect(loadConfig(['--tls-cert-file', '/etc/c.pem', '--tls-key-file', '/etc/k.pem'], {})).toMatchObject({
      tlsCertFile: '/etc/c.pem',
      tlsKeyFile: '/etc/k.pem',
    });
    expect(loadConfig([], { LOGWAY_TLS_CERT_FILE: 'c.pem', LOGWAY_TLS_KEY_FILE: 'k.pem' }).tlsCertFile).toBe(`${process.cwd()}/c.pem`);
  });

  it('refuses one without the other', () => {
    expect(() => loadConfig(['--tls-cert-file', 'c.pem'], {})).toThrow('tls-cert-file and tls-key-file go together');
    expect(() => loadConfig([], { LOGWAY_TLS_KEY_FILE: 'k.pem' })).toThrow(ConfigError);
  });
});
