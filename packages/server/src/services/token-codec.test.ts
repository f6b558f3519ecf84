import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/test-server.js';
import { createTokenCodec, type TokenClaims } from './token-codec.js';

interface AccessClaims extends TokenClaims {
  readonly typ: 'access';
  readonly sub: string;
}

const SECRET = 'a-test-signing-secret-of-enough-length';

describe('TokenCodec', () => {
  it('refuses a token it verified before once the clock passes its expiry', () => {
    const clock = new ManualClock();
    const codec = createTokenCodec(SECRET, clock);
    const token = codec.sign<AccessClaims>({ typ: 'access', sub: 'user' }, 60);
    expect(codec.verify<AccessClaims>(token, 'access')).toMatchObject({ kind: 'valid' });

    clock.advance(60_000);

    expect(codec.verify<AccessClaims>(token, 'access')).toEqual({ kind: 'expired' });
  });

  it('refuses a token it verified before when it is presented as another type', () => {
    const codec = createTokenCodec(SECRET, new ManualClock());
    const token = codec.sign<AccessClaims>({ typ: 'access', sub: 'user' }, 60);
    codec.verify<AccessClaims>(token, 'access');

    expect(codec.verify(token, 'refresh')).toEqual({ kind: 'invalid' });
  });

  it('refuses a token whose signature was altered after the original was verified', () => {
    const codec = createTokenCodec(SECRET, new ManualClock());
    const token = codec.sign<AccessClaims>({ typ: 'access', sub: 'user' }, 60);
    codec.verify<AccessClaims>(token, 'access');
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;

    expect(codec.verify<AccessClaims>(altered, 'access')).toEqual({ kind: 'invalid' });
  });

  it('refuses a token signed with another secret', () => {
    const clock = new ManualClock();
    const token = createTokenCodec('another-secret-of-enough-length', clock).sign<AccessClaims>(
      { typ: 'access', sub: 'user' },
      60,
    );

    expect(createTokenCodec(SECRET, clock).verify<AccessClaims>(token, 'access')).toEqual({
      kind: 'invalid',
    });
  });
});
