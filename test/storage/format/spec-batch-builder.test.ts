import { bitwiseCrc32c, PUBLISHED_CRC32C_VECTORS, specRecord, specVarint } from './spec-batch-builder';

describe('test support > spec batch builder (the independent oracle)', () => {
  test.each(PUBLISHED_CRC32C_VECTORS)('its bit-by-bit CRC-32C of %s is the published value', (_name, input, expected) => {
    expect(bitwiseCrc32c(input)).toBe(expected);
  });

  test('its varints match the zigzag examples in storage/FORMAT.md', () => {
    const hex = (value: number): string => Buffer.from(specVarint(value)).toString('hex');
    expect([0, -1, 1, 63, 64, -65, 300, 2_147_483_647, -2_147_483_648].map(hex)).toEqual([
      '00',
      '01',
      '02',
      '7e',
      '8001',
      '8101',
      'd804',
      'feffffff0f',
      'ffffffff0f',
    ]);
  });

  test('its record body equals a record published in kafkajs fixtures (v0_record.json)', () => {
    const published = Buffer.concat([
      Buffer.from([0, 0, 0, 10]),
      Buffer.from('key-0'),
      Buffer.from([24]),
      Buffer.from('some-value-0'),
      Buffer.from([2, 24]),
      Buffer.from('header-key-0'),
      Buffer.from([28]),
      Buffer.from('header-value-0'),
    ]);
    const ours = Buffer.from(
      specRecord({
        timestampDelta: 0,
        offsetDelta: 0,
        key: Buffer.from('key-0'),
        value: Buffer.from('some-value-0'),
        headers: [{ key: 'header-key-0', value: Buffer.from('header-value-0') }],
      }),
    );
    expect(ours[0]).toBe(published.length * 2); // the length varint (zigzag) that kafkajs' fixture leaves out
    expect(ours.subarray(1)).toEqual(published);
  });
});
