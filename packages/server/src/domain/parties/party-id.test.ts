import { describe, expect, it } from 'vitest';
import { canonicalPartyId, describePartyIdProblem } from './party-id.js';

describe('describePartyIdProblem', () => {
  it.each(['46733123450', '256772123456', '12345'])('accepts the MSISDN %s', (msisdn) => {
    expect(describePartyIdProblem('MSISDN', msisdn)).toBeNull();
  });

  it.each(['+46733123450', '046733123450', '1234567890123456', '4673312345a', '', '1234'])(
    'refuses the MSISDN "%s"',
    (msisdn) => {
      expect(describePartyIdProblem('MSISDN', msisdn)).toMatch(/not an MSISDN/);
    },
  );

  it('accepts an e-mail address and refuses a bare word', () => {
    expect(describePartyIdProblem('EMAIL', 'payer@example.com')).toBeNull();
    expect(describePartyIdProblem('EMAIL', 'payer')).toMatch(/not an e-mail/);
    expect(describePartyIdProblem('EMAIL', 'a@b')).toMatch(/not an e-mail/);
  });

  it('accepts a UUID party code and refuses anything else', () => {
    expect(describePartyIdProblem('PARTY_CODE', '0b1a5d54-8d4c-4a1e-9f0f-3c8b3f6f1e2d')).toBeNull();
    expect(describePartyIdProblem('PARTY_CODE', '0b1a5d54')).toMatch(/not a party code/);
  });
});

describe('canonicalPartyId', () => {
  it('folds e-mail case so one mailbox is one account holder', () => {
    expect(canonicalPartyId('EMAIL', 'Payer@Example.COM')).toBe('payer@example.com');
    expect(canonicalPartyId('MSISDN', '46733123450')).toBe('46733123450');
  });
});
