import { GraphQLError } from 'graphql';
import { findFatalError } from '../../server/cli/fatal-error';
import { FsyncFailedError } from '../../storage/index';

describe('findFatalError (what makes `logway start` exit 1 at once)', () => {
  const fsync = new FsyncFailedError('/data/logs/t-0/00000000000000000000.log', new Error('EIO'));

  it('finds an fsync failure however it is wrapped: bare, in pino`s err, in a GraphQLError, in a cause', () => {
    expect(findFatalError(fsync)).toBe(fsync);
    expect(findFatalError({ err: fsync })).toBe(fsync);
    expect(findFatalError(new GraphQLError('wrapped', { originalError: fsync }))).toBe(fsync);
    expect(findFatalError({ err: new Error('outer', { cause: fsync }) })).toBe(fsync);
  });

  it('ignores ordinary operating errors and log arguments', () => {
    expect(findFatalError(new Error('ECONNRESET'))).toBeNull();
    expect(findFatalError({ err: Object.assign(new Error('x'), { code: 'UNKNOWN_TOPIC_OR_PARTITION' }) })).toBeNull();
    expect(findFatalError('unexpected error while serving a request')).toBeNull();
    expect(findFatalError(null)).toBeNull();
  });

  it('stops on a cyclic cause chain', () => {
    const a: { cause?: unknown } = {};
    a.cause = { cause: a };
    expect(findFatalError(a)).toBeNull();
  });
});
