import { NodeFileSystem } from '../../../storage';
import { FaultyFileSystem, SimulatedCrashError } from '../../support/faulty-file-system';
import * as nodeFs from 'node:fs';
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

  it('reports the chosen volume from statfs', async () => {
    const fs = new FaultyFileSystem();
    fs.volumeSpace = { totalBytes: 64 * 1024 ** 2, availableBytes: 1024 };
    expect(await fs.statfs(tmp.path)).toEqual({ totalBytes: 64 * 1024 ** 2, availableBytes: 1024 });
    expect(fs.count('statfs')).toBe(1);
  });

  it('runs out of space like a full disk: a write past the space left stores what fits, then throws ENOSPC', async () => {
    const fs = new FaultyFileSystem();
    const file = path.join(tmp.path, 'f');
    const handle = await fs.open(file, 'create');
    fs.spaceLeftBytes = 6;
    await handle.write(Buffer.from('abc'), 0);
    await expect(handle.writev([Buffer.from('de'), Buffer.from('fg')], 3)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(nodeFs.readFileSync(file).toString()).toBe('abcdef');
    await expect(handle.write(Buffer.from('h'), 6)).rejects.toMatchObject({ code: 'ENOSPC' });
    await fs.abandon();
  });
});
