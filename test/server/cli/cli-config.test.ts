import { DEFAULT_URL, loadCliConfig } from '../../../server/cli/cli-config';

describe('loadCliConfig', () => {
  it('takes --url over LOGWAY_URL over the default, and derives the ws:// URL', () => {
    expect(loadCliConfig(undefined, {})).toEqual({ url: DEFAULT_URL, wsUrl: 'ws://127.0.0.1:4000/graphql', apiKey: null, ca: null });
    expect(loadCliConfig(undefined, { LOGWAY_URL: 'http://10.0.0.5:4100/graphql' }).url).toBe('http://10.0.0.5:4100/graphql');
    expect(loadCliConfig('https://logway.example/graphql', { LOGWAY_URL: 'http://ignored:1/graphql' })).toEqual({
      url: 'https://logway.example/graphql',
      wsUrl: 'wss://logway.example/graphql',
      apiKey: null,
      ca: null,
    });
  });

  it('takes --api-key over LOGWAY_API_KEY; an empty one is none', () => {
    expect(loadCliConfig(undefined, { LOGWAY_API_KEY: 'from-env' }).apiKey).toBe('from-env');
    expect(loadCliConfig(undefined, { LOGWAY_API_KEY: 'from-env' }, 'from-flag').apiKey).toBe('from-flag');
    expect(loadCliConfig(undefined, { LOGWAY_API_KEY: '' }).apiKey).toBeNull();
  });

  it('completes a bare host:port with http:// and /graphql', () => {
    expect(loadCliConfig('127.0.0.1:4001', {}).url).toBe('http://127.0.0.1:4001/graphql');
  });

  it('rejects what is not an http(s) URL as a usage error', () => {
    expect(() => loadCliConfig('ftp://x/graphql', {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => loadCliConfig('http://', {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
