import { describe, expect, it } from 'vitest';
import { trustProxyOption } from './build-app.js';

describe('trustProxyOption', () => {
  it.each([
    [null, false],
    ['false', false],
    ['true', true],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('reads TRUST_PROXY=%s as %s', (value, option) => {
    expect(trustProxyOption(value)).toBe(option);
  });

  it('reads a number as that many trusted hops', () => {
    const trusted = trustProxyOption('2');

    expect(typeof trusted).toBe('function');
    const trustsHop = trusted as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trustsHop('10.0.0.1', hop))).toEqual([true, true, false]);
  });
});
