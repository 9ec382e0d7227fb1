import { DEFAULT_LOG_CONFIG, InvalidConfigError, LOG_CONFIG_KEYS, parseLogConfig } from '../../../storage';

describe('parseLogConfig', () => {
  it('maps Kafka keys onto typed fields over the defaults', () => {
    const config = parseLogConfig({
      'retention.ms': '-1',
      'segment.bytes': '1048576',
      'cleanup.policy': 'compact,delete',
      'message.timestamp.type': 'LogAppendTime',
    });
    expect(config).toEqual({
      ...DEFAULT_LOG_CONFIG,
      retentionMs: -1,
      segmentBytes: 1_048_576,
      cleanupPolicy: 'compact,delete',
      messageTimestampType: 'LogAppendTime',
    });
  });

  it('accepts cleanup.policy in either order', () => {
    expect(parseLogConfig({ 'cleanup.policy': 'delete, compact' }).cleanupPolicy).toBe('compact,delete');
  });

  it.each([
    ['unknown key', { 'retention.hours': '1' }],
    ['non-integer', { 'segment.bytes': '1.5' }],
    ['below minimum', { 'flush.messages': '0' }],
    ['not a policy', { 'cleanup.policy': 'archive' }],
    ['text for a number', { 'retention.ms': 'forever' }],
  ])('rejects a %s with InvalidConfigError', (_name, overrides) => {
    expect(() => parseLogConfig(overrides)).toThrow(InvalidConfigError);
  });

  it('layers on a base config and leaves the base untouched', () => {
    const base = parseLogConfig({ 'retention.ms': '1000' });
    const config = parseLogConfig({ 'segment.ms': '5000' }, base);
    expect(config.retentionMs).toBe(1_000);
    expect(config.segmentMs).toBe(5_000);
    expect(base.segmentMs).toBe(DEFAULT_LOG_CONFIG.segmentMs);
  });

  it('documents every key with its default', () => {
    const keys = LOG_CONFIG_KEYS.map((k) => k.key);
    expect(keys).toContain('flush.messages');
    expect(LOG_CONFIG_KEYS.find((k) => k.key === 'segment.bytes')!.defaultValue).toBe('1073741824');
    for (const entry of LOG_CONFIG_KEYS) expect(entry.doc.length).toBeGreaterThan(10);
    // Every documented key parses its own default.
    const defaults = Object.fromEntries(LOG_CONFIG_KEYS.map((k) => [k.key, k.defaultValue]));
    expect(parseLogConfig(defaults)).toEqual(DEFAULT_LOG_CONFIG);
  });
});
