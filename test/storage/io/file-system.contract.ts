/**
 * The FileSystem contract: what the log engine relies on from any implementation. Run by
 * node-file-system.test.ts and faulty-file-system.test.ts (docs/HOUSE-STYLE.md §3.6).
 */
import * as path from 'node:path';
import type { FileSystem } from '../../../storage';
import { useTmpDir } from '../../support/tmp-dir';

export function defineFileSystemContract(name: string, create: () => FileSystem): void {
  describe(`FileSystem contract: ${name}`, () => {
    const tmp = useTmpDir();

    it('writes at positions, reads back, and reports size', async () => {
      const fs = create();
      const file = path.join(tmp.path, 'a.log');
      const handle = await fs.open(file, 'create');
      await handle.write(Buffer.from('hello'), 0);
      await handle.writev([Buffer.from(' '), Buffer.from('world')], 5);
      await handle.write(Buffer.from('W'), 6);
      await handle.sync();
      expect(await handle.sizeBytes()).toBe(11);
      const buf = Buffer.alloc(20);
      expect(await handle.read(buf, 0, 20, 0)).toBe(11);
      expect(buf.subarray(0, 11).toString()).toBe('hello World');
      await handle.truncate(5);
      expect(await handle.sizeBytes()).toBe(5);
      await handle.close();
      expect((await fs.stat(file))!.sizeBytes).toBe(5);
    });

    it("keeps existing contents when opening with 'create'", async () => {
      const fs = create();
      const file = path.join(tmp.path, 'b.log');
      await fs.writeFile(file, Buffer.from('abc'));
      const handle = await fs.open(file, 'create');
      expect(await handle.sizeBytes()).toBe(3);
      await handle.write(Buffer.from('d'), 3);
      await handle.close();
      expect((await fs.readFile(file)).toString()).toBe('abcd');
    });

    it('renames, lists, unlinks and removes trees; stat of a missing path is null', async () => {
      const fs = create();
      const dir = path.join(tmp.path, 'd');
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'x'), Buffer.from('1'));
      await fs.rename(path.join(dir, 'x'), path.join(dir, 'y'));
      await fs.fsyncDir(dir);
      expect(await fs.readdir(dir)).toEqual(['y']);
      await fs.unlink(path.join(dir, 'y'));
      expect(await fs.stat(path.join(dir, 'y'))).toBeNull();
      expect((await fs.stat(dir))!.isDirectory).toBe(true);
      await fs.removeTree(dir);
      expect(await fs.stat(dir)).toBeNull();
    });

    it('reports the space of the volume holding a directory: total ≥ available ≥ 0', async () => {
      const space = await create().statfs(tmp.path);
      expect(space.totalBytes).toBeGreaterThan(0);
      expect(space.availableBytes).toBeGreaterThanOrEqual(0);
      expect(space.availableBytes).toBeLessThanOrEqual(space.totalBytes);
    });

    it("fails to open a missing file for 'read' with ENOENT", async () => {
      const fs = create();
      await expect(fs.open(path.join(tmp.path, 'missing'), 'read')).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
}
