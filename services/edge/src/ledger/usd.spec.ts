import { formatUsd, money, parseUsd } from './usd';

describe('parseUsd', () => {
  it.each([
    ['0', 0n],
    ['5', 5_000_000n],
    ['0.5', 500_000n],
    ['12.345678', 12_345_678n],
    ['0.000001', 1n],
    ['100.10', 100_100_000n],
    ['999999999999.999999', 999_999_999_999_999_999n],
    ['00012.5', 12_500_000n],
  ])('%s USD is %s micro-USD', (usd, micros) => {
    expect(parseUsd(usd)).toBe(micros);
  });

  it('is exact where floats are not', () => {
    // 0.1 + 0.2 style traps: 1.005 * 1e6 is 1004999.9999999999 in floating point.
    expect(parseUsd('1.005')).toBe(1_005_000n);
    expect(parseUsd('4.35')).toBe(4_350_000n);
    expect(parseUsd('0.29')).toBe(290_000n);
  });

  it.each(['', ' 5', '5 ', '-1', '+1', '1.', '.5', '1.2345678', '1e3', '1,5', '0x10', 'NaN', 'Infinity', '1000000000000', '١٢'])('refuses %j', (usd) => {
    expect(parseUsd(usd)).toBeUndefined();
  });
});

describe('formatUsd', () => {
  it.each([
    [0n, '0.00'],
    [1n, '0.000001'],
    [780n, '0.00078'],
    [10_000n, '0.01'],
    [100_000_000n, '100.00'],
    [100_100_000n, '100.10'],
    [12_345_678n, '12.345678'],
    [-1_500_000n, '-1.50'],
    [-1n, '-0.000001'],
    [123_456_789_012_345_678n, '123456789012.345678'],
  ])('%s micro-USD is %s', (micros, usd) => {
    expect(formatUsd(micros)).toBe(usd);
  });

  it('round-trips every non-negative amount parseUsd accepts', () => {
    for (const micros of [0n, 1n, 9n, 10n, 99n, 100n, 999_999n, 1_000_000n, 1_000_001n, 10_000_000n, 987_654_321n]) {
      expect(parseUsd(formatUsd(micros))).toBe(micros);
    }
  });
});

it('money carries both spellings', () => {
  expect(money(2_500_000n)).toEqual({ usd: '2.50', micros: '2500000' });
});
