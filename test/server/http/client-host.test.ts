/** A group member's host as people write it: the peer address, IPv4 clients of a dual-stack socket unwrapped. */
import { clientHost } from '../../../server/http/context';

describe('clientHost', () => {
  it('unwraps an IPv4-mapped IPv6 peer and keeps everything else as the socket reports it', () => {
    expect(clientHost('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientHost('127.0.0.1')).toBe('127.0.0.1');
    expect(clientHost('::1')).toBe('::1');
    expect(clientHost('::ffff:7f00:1')).toBe('::ffff:7f00:1');
    expect(clientHost(undefined)).toBeNull();
  });
});
