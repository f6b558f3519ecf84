import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MINOR_MAX, formatAmount, parseAmount } from './amount.js';

describe('parseAmount', () => {
  it('reads a whole amount in a currency without minor units', () => {
    expect(parseAmount('1500', 0)).toEqual({ kind: 'valid', amountMinor: 1500n });
  });

  it('reads decimals up to the currency scale', () => {
    expect(parseAmount('12.5', 2)).toEqual({ kind: 'valid', amountMinor: 1250n });
    expect(parseAmount('0.01', 2)).toEqual({ kind: 'valid', amountMinor: 1n });
  });

  it('accepts trailing zeros beyond the scale because they do not change the value', () => {
    expect(parseAmount('100.00', 0)).toEqual({ kind: 'valid', amountMinor: 100n });
  });

  it('refuses more decimals than the currency has', () => {
    expect(parseAmount('1.005', 2).kind).toBe('invalid');
    expect(parseAmount('100.5', 0).kind).toBe('invalid');
  });

  it.each([
    '0',
    '0.00',
    '-1',
    '1e3',
    '',
    'abc',
    '1,5',
    '.5',
    '5.',
    'NaN',
    'Infinity',
    '0x10',
    ' 5',
    '5 ',
    '5\n',
  ])('refuses "%s"', (text) => {
    expect(parseAmount(text, 2).kind).toBe('invalid');
  });

  it('refuses amounts above the ceiling instead of overflowing a 64-bit column', () => {
    expect(parseAmount((AMOUNT_MINOR_MAX + 1n).toString(), 0).kind).toBe('invalid');
    expect(parseAmount('9'.repeat(400), 2).kind).toBe('invalid');
  });
});

describe('formatAmount', () => {
  it('drops trailing fractional zeros as MoMo does', () => {
    expect(formatAmount(1250n, 2)).toBe('12.5');
    expect(formatAmount(1200n, 2)).toBe('12');
    expect(formatAmount(5n, 2)).toBe('0.05');
    expect(formatAmount(-5n, 2)).toBe('-0.05');
  });

  it('round-trips every valid amount through parse', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: AMOUNT_MINOR_MAX }),
        fc.constantFrom(0, 2),
        (amountMinor, scale) => {
          const parsed = parseAmount(formatAmount(amountMinor, scale), scale);
          expect(parsed).toEqual({ kind: 'valid', amountMinor });
        },
      ),
    );
  });
});
