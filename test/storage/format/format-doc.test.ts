import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeVarint } from '../../../storage';

const FORMAT_MD = readFileSync(join(__dirname, '../../../storage/FORMAT.md'), 'utf8');

describe('storage/FORMAT.md stays true', () => {
  test('the worked example hex is byte for byte the fixture it names', () => {
    const section = FORMAT_MD.split('### Worked example: `')[1];
    const fixturePath = section.split('`')[0];
    const block = section.split('```')[1];
    const hex = block
      .split('\n')
      .map((line) => line.slice(0, 26).trim()) // the byte column; annotations start at column 26
      .filter((bytes) => /^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(bytes))
      .join(' ');
    const documented = Buffer.from(hex.replace(/ /g, ''), 'hex');
    expect(documented.length).toBe(77);
    expect(documented.equals(readFileSync(join(__dirname, '../../..', fixturePath)))).toBe(true);
  });

  test('the zigzag varint examples are what the codec writes', () => {
    const examples = [...FORMAT_MD.matchAll(/`(-?\d+) → ([0-9a-f ]+)`/g)].map(([, value, bytes]) => [Number(value), bytes.trim()] as const);
    expect(examples.length).toBeGreaterThanOrEqual(9);
    for (const [value, bytes] of examples) {
      const buf = Buffer.alloc(5);
      const end = writeVarint(buf, value, 0);
      expect([
        value,
        buf
          .subarray(0, end)
          .toString('hex')
          .replace(/(..)(?!$)/g, '$1 '),
      ]).toEqual([value, bytes]);
    }
  });
});
