/**
 * Topic configs read their integers with the one config rule (storage/config-integer.ts): the
 * broker's keys (min.insync.replicas, …) and the log's keys (retention.ms, …) accept and refuse
 * the same spellings, with INVALID_CONFIG naming the key.
 */
import { parseTopicConfig } from '../../../server/broker/topic-config';

describe('parseTopicConfig integers', () => {
  it('reads a broker key and a log key with the same rule (whitespace around the digits ignored)', () => {
    const config = parseTopicConfig({ 'min.insync.replicas': ' 2 ', 'retention.ms': ' 5000 ' }, 3);
    expect(config.broker.minInsyncReplicas).toBe(2);
    expect(config.log.retentionMs).toBe(5_000);
  });

  it.each([
    ['min.insync.replicas', '1.5'],
    ['min.insync.replicas', '4'],
    ['retention.ms', '1e3'],
    ['message.timestamp.after.max.ms', '-2'],
  ])('refuses %s = %j with INVALID_CONFIG naming the key', (key, value) => {
    expect(() => parseTopicConfig({ [key]: value }, 3)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(key) }),
    );
  });
});
