import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from '../../../storage';
import { TimeIndex } from '../../../storage/segment/time-index';
import { prng } from '../../support/prng';
import { useTmpDir } from '../../support/tmp-dir';

const tmp = useTmpDir();

describe('TimeIndex', () => {
  it('starts the scan after every entry whose max timestamp is below the target (random, seeded)', () => {
    for (let run = 0; run < 20; run++) {
      const seed = 2_000 + run;
      const random = prng(seed);
      const index = new TimeIndex('unused', 0);
      const model: { timestampMs: number; offset: number }[] = [];
      let t = 0;
      let offset = 0;
      for (let i = 0; i < 200; i++) {
        t += Math.floor(random() * 3); // equal timestamps allowed
        offset += 1 + Math.floor(random() * 10);
        index.maybeAppend(t, offset);
        model.push({ timestampMs: t, offset });
      }
      for (let probe = 0; probe < 200; probe++) {
        const target = Math.floor(random() * (t + 5));
        let expected = 0;
        for (const e of model) if (e.timestampMs < target) expected = e.offset;
        const actual = index.lookupStartOffset(target);
        if (actual !== expected) throw new Error(`seed ${seed}: lookup(${target}) = ${actual}, expected ${expected}`);
      }
    }
  });

  it('round-trips int64 timestamps through its file', async () => {
    const file = path.join(tmp.path, 'x.timeindex');
    const index = new TimeIndex(file, 50);
    index.maybeAppend(1_700_000_000_000, 60);
    index.maybeAppend(1_700_000_000_500, 70);
    await index.persist(new NodeFileSystem());
    const loaded = new TimeIndex(file, 50);
    expect(loaded.loadFrom(fs.readFileSync(file))).toBe(true);
    expect(loaded.lastEntry()).toEqual({ timestampMs: 1_700_000_000_500, offset: 70 });
    expect(loaded.lookupStartOffset(1_700_000_000_400)).toBe(60);
  });
});
