import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from '../../../storage';
import { OffsetIndex } from '../../../storage/segment/offset-index';
import { prng } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

function floorOracle(entries: { offset: number; position: number }[], target: number, baseOffset: number) {
  let found = { offset: baseOffset, position: 0 };
  for (const e of entries) if (e.offset <= target) found = e;
  return found;
}

describe('OffsetIndex', () => {
  it('returns the largest entry ≤ target, like floor over a sorted array (random, seeded)', () => {
    for (let run = 0; run < 20; run++) {
      const seed = 1_000 + run;
      const random = prng(seed);
      const baseOffset = Math.floor(random() * 1_000_000);
      const index = new OffsetIndex(path.join(tmp.path, 'x.index'), baseOffset, 10_000);
      const model: { offset: number; position: number }[] = [];
      let offset = baseOffset;
      let position = 0;
      const count = Math.floor(random() * 500);
      for (let i = 0; i < count; i++) {
        offset += 1 + Math.floor(random() * 50);
        position += 1 + Math.floor(random() * 5_000);
        index.append(offset, position);
        model.push({ offset, position });
      }
      for (let probe = 0; probe < 300; probe++) {
        const target = baseOffset + Math.floor(random() * (offset - baseOffset + 100));
        const actual = index.lookup(target);
        const expected = floorOracle(model, target, baseOffset);
        if (actual.offset !== expected.offset || actual.position !== expected.position) {
          throw new Error(`seed ${seed}: lookup(${target}) = ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
        }
      }
    }
  });

  it('round-trips through its file and truncates by offset and position', async () => {
    const file = path.join(tmp.path, '00000000000000000100.index');
    const index = new OffsetIndex(file, 100, 1_000);
    for (let i = 1; i <= 10; i++) index.append(100 + i * 10, i * 1_000);
    await index.persist(new NodeFileSystem());
    expect(fs.statSync(file).size).toBe(80);
    const loaded = new OffsetIndex(file, 100, 1_000);
    expect(loaded.loadFrom(fs.readFileSync(file), 20_000)).toBe(true);
    expect(loaded.lookup(155)).toEqual({ offset: 150, position: 5_000 });
    loaded.truncateToOffset(150);
    expect(loaded.lastEntry()).toEqual({ offset: 140, position: 4_000 });
    loaded.truncateToPosition(2_500);
    expect(loaded.entryCount).toBe(2);
    await loaded.persist(new NodeFileSystem());
    expect(fs.statSync(file).size).toBe(16);
  });

  it('rejects torn, non-monotonic and out-of-file contents', () => {
    const index = new OffsetIndex('unused', 0, 100);
    const good = Buffer.alloc(16);
    good.writeInt32BE(1, 0);
    good.writeInt32BE(100, 4);
    good.writeInt32BE(2, 8);
    good.writeInt32BE(200, 12);
    expect(index.loadFrom(good, 1_000)).toBe(true);
    expect(index.loadFrom(good.subarray(0, 12), 1_000)).toBe(false);
    expect(index.loadFrom(good, 150)).toBe(false);
    const backwards = Buffer.from(good);
    backwards.writeInt32BE(0, 8);
    expect(index.loadFrom(backwards, 1_000)).toBe(false);
  });

  it('reports full at segment.index.bytes / 8 entries', () => {
    const index = new OffsetIndex('unused', 0, 3);
    index.append(1, 1);
    index.append(2, 2);
    expect(index.isFull).toBe(false);
    index.append(3, 3);
    expect(index.isFull).toBe(true);
  });
});
