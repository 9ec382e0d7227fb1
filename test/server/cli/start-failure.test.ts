/**
 * start-failure.ts: the start failures a user fixes without a stack trace, as one line and an exit
 * status. Port in use and the data dir lock are covered end to end (start.test.ts,
 * data-dir-lock.test.ts); the listen errors a test cannot cause on loopback as root are checked
 * here on errors shaped as Node's listen() raises them.
 */
import { startFailure } from '../../../server/cli/commands/start-failure';
import { loadConfig } from '../../../server/config';
import { DataDirLockedError } from '../../../server/errors';

const listenError = (code: string) => Object.assign(new Error(`listen ${code}`), { code, syscall: 'listen' });

describe('start failures', () => {
  it('names the address it cannot listen on, with exit 4', () => {
    const config = loadConfig(['--host', '::1', '--port', '80'], {});
    expect(startFailure(listenError('EACCES'), config)).toMatchObject({
      code: 'CANNOT_LISTEN',
      exitCode: 4,
      message: 'cannot listen on [::1]:80: port 80 needs privileges this process does not have',
    });
    expect(startFailure(listenError('EADDRNOTAVAIL'), loadConfig(['--host', '192.0.2.1', '--auth', 'off'], {}))).toMatchObject({
      code: 'CANNOT_LISTEN',
      exitCode: 4,
      message: "cannot listen on 192.0.2.1:4000: the address is not one of this machine's (--host)",
    });
    expect(startFailure(listenError('EADDRINUSE'), loadConfig([], {}))).toMatchObject({ code: 'PORT_IN_USE', exitCode: 4 });
  });

  it('turns the data dir lock into exit 3', () => {
    expect(startFailure(new DataDirLockedError('/d', '/d/.lock'), loadConfig([], {}))).toMatchObject({
      code: 'DATA_DIR_LOCKED',
      exitCode: 3,
    });
  });

  it('leaves anything else to the logged stack and exit 1', () => {
    const config = loadConfig([], {});
    expect(startFailure(Object.assign(new Error('x'), { code: 'EADDRINUSE', syscall: 'connect' }), config)).toBeNull();
    expect(startFailure(Object.assign(new Error('x'), { code: 'CATALOG_CORRUPT' }), config)).toBeNull();
    expect(startFailure('a string', config)).toBeNull();
    expect(startFailure(null, config)).toBeNull();
  });
});
