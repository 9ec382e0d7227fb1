import { parseConfigInteger } from '../../storage';

describe('parseConfigInteger, the one integer rule for configs', () => {
  it('accepts decimal integers within the bounds, surrounding whitespace ignored', () => {
    expect(parseConfigInteger('42', 0, 100)).toBe(42);
    expect(parseConfigInteger(' -1 ', -1, 100)).toBe(-1);
    expect(parseConfigInteger('9007199254740991', 0, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['', '  ', '1.5', '1e3', '0x10', '+5', '5ms', '- 5', 'NaN', 'Infinity', '9007199254740992'])('refuses %j', (raw) => {
    expect(parseConfigInteger(raw, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBeNull();
  });

  it('refuses values outside [min, max]', () => {
    expect(parseConfigInteger('0', 1, 10)).toBeNull();
    expect(parseConfigInteger('11', 1, 10)).toBeNull();
    expect(parseConfigInteger('10', 1, 10)).toBe(10);
  });
});
