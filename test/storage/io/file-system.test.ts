import { NodeFileSystem } from '../../../storage';
import { FaultyFileSystem, SimulatedCrashError } from '../../support/faulty-file-system';
import { useTmpDir } from '../../support/tmp-dir';
import { defineFileSystemContract } from './file-system.contract';
import * as path from 'node:path';

defineFileSystemContract('NodeFileSystem', () => new NodeFileSystem());
defineFileSystemContract('FaultyFileSystem (no faults)', () => new FaultyFileSystem());

describe('FaultyFileSystem', () => {
  const tmp = useTmpDir();

  it('crashes before the step after N and stays dead for every call', async () => {
    const fs = new FaultyFileSystem();
    fs.crashAfterSteps(2);
    await fs.mkdir(path.join(tmp.path, 'a'));
    await fs.writeFile(path.join(tmp.path, 'a', 'x'), Buffer.from('1'));
    await expect(fs.rename(path.join(tmp.path, 'a', 'x'), path.join(tmp.path, 'a', 'y'))).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(fs.readdir(tmp.path)).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(fs.steps).toHaveLength(2);
  });

  it('counts fsyncs and can fail them', async () => {
    const fs = new FaultyFileSystem();
    const handle = await fs.open(path.join(tmp.path, 'f'), 'create');
    await handle.sync();
    await fs.fsyncDir(tmp.path);
    expect(fs.fsyncCount).toBe(2);
    fs.failFsync = true;
    await expect(handle.sync()).rejects.toMatchObject({ code: 'EIO' });
    await fs.abandon();
  });
});
