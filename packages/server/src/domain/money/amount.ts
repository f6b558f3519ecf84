/**
 * Money at the wire boundary: MoMo sends amounts as decimal strings; inside, an amount is an integer count of
 * the currency's minor units (bigint), so no arithmetic ever touches a float (docs/decisions/0002).
 */

/** Largest amount accepted, in minor units: far above any wallet, well inside a signed 64-bit column. */
export const AMOUNT_MINOR_MAX = 10n ** 15n;

export type AmountParseResult =
  | { readonly kind: 'valid'; readonly amountMinor: bigint }
  | { readonly kind: 'invalid'; readonly problem: string };

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/** Parses a positive decimal string with at most `minorUnits` decimals into minor units. */
export function parseAmount(text: string, minorUnits: number): AmountParseResult {
  // No surrounding whitespace either: it is a client's bug that a sandbox should show before production does.
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) {
    return { kind: 'invalid', problem: `amount "${text}" is not a positive decimal number` };
  }
  const wholePart = match[1] ?? '0';
  const fractionPart = (match[2] ?? '').replace(/0+$/, '');
  if (fractionPart.length > minorUnits) {
    return {
      kind: 'invalid',
      problem: `amount "${text}" has more than ${minorUnits} decimal place${minorUnits === 1 ? '' : 's'} for this currency`,
    };
  }
  const amountMinor = BigInt(wholePart + fractionPart.padEnd(minorUnits, '0'));
  if (amountMinor <= 0n) {
    return { kind: 'invalid', problem: 'amount must be greater than zero' };
  }
  if (amountMinor > AMOUNT_MINOR_MAX) {
    return { kind: 'invalid', problem: `amount "${text}" is larger than the largest amount accepted` };
  }
  return { kind: 'valid', amountMinor };
}

/** Formats minor units as MoMo shows them: no trailing fractional zeros ("12.50" reads back as "12.5"). */
export function formatAmount(amountMinor: bigint, minorUnits: number): string {
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(minorUnits + 1, '0');
  const wholePart = digits.slice(0, digits.length - minorUnits);
  const fractionPart = digits.slice(digits.length - minorUnits).replace(/0+$/, '');
  const sign = negative ? '-' : '';
  return fractionPart === '' ? `${sign}${wholePart}` : `${sign}${wholePart}.${fractionPart}`;
}
