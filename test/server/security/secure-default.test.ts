/** The secure default (docs/GRAPHQL-API.md "Security"): auth is off by default only on loopback. */
import { ConfigError, loadConfig } from '../../../server/config';

describe('--auth default', () => {
  test('off on loopback', () => {
    expect(loadConfig([], {}).auth).toBe('off');
    expect(loadConfig(['--host', '::1'], {}).auth).toBe('off');
    expect(loadConfig(['--host', '127.0.0.1'], {}).auth).toBe('off');
  });

  test('a non-loopback host with no --auth refuses to start with one clear line', () => {
    expect(() => loadConfig(['--host', '0.0.0.0'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--host', '0.0.0.0'], {})).toThrow(/not loopback: start with --auth required \(or --auth off/);
    expect(() => loadConfig([], { LOGWAY_HOST: '10.1.2.3' })).toThrow(ConfigError);
  });

  test('an explicit --auth off or required is taken', () => {
    expect(loadConfig(['--host', '0.0.0.0', '--auth', 'off'], {}).auth).toBe('off');
    expect(loadConfig(['--host', '0.0.0.0'], { LOGWAY_AUTH: 'required' }).auth).toBe('required');
    expect(() => loadConfig(['--auth', 'maybe'], {})).toThrow(/auth must be one of off, required/);
  });

  test('other security flags are checked', () => {
    expect(() => loadConfig(['--super-users', 'alice'], {})).toThrow(/User:alice/);
    expect(() => loadConfig(['--bootstrap-admin-key', 'short'], {})).toThrow(/at least 16/);
    expect(() => loadConfig(['--jwt-issuer', 'x'], {})).toThrow(/need jwt-jwks-file/);
    expect(loadConfig(['--super-users', 'User:a, User:b', '--metrics-token', 't0k'], {})).toMatchObject({
      superUsers: ['User:a', 'User:b'],
      metricsToken: 't0k',
    });
  });
});
