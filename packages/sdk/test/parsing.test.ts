import { describe, expect, it } from 'vitest';
import { parseCallback } from '../src/index.js';
import { parsePreapprovalDetails, parseTransfer } from '../src/resources/results.js';

/** Seed 003's FAILED example, verbatim: numbers where the schema says string, reason as an object. */
const SEED_003_FAILED = {
  amount: 100,
  currency: 'UGX',
  externalId: 83453,
  payee: { partyIdType: 'MSISDN', partyId: 4609274685 },
  status: 'FAILED',
  reason: { code: 'PAYER_LIMIT_REACHED', message: "The payer's limit has been breached." },
};

describe('tolerant parsing', () => {
  it("reads seed 003's example with its numbers as strings and its reason typed", () => {
    expect(parseTransfer(SEED_003_FAILED)).toEqual({
      amount: '100',
      currency: 'UGX',
      externalId: '83453',
      payee: { partyIdType: 'MSISDN', partyId: '4609274685' },
      status: 'FAILED',
      reason: { code: 'PAYER_LIMIT_REACHED', message: "The payer's limit has been breached." },
    });
  });

  it('reads a bare-string reason as the same typed reason', () => {
    expect(parseTransfer({ ...SEED_003_FAILED, reason: 'PAYER_LIMIT_REACHED' }).reason).toEqual({
      code: 'PAYER_LIMIT_REACHED',
    });
  });

  it('parses a callback body given as JSON text and refuses one without a status', () => {
    expect(parseCallback(JSON.stringify(SEED_003_FAILED))).toMatchObject({
      status: 'FAILED',
      amount: '100',
      reason: { code: 'PAYER_LIMIT_REACHED' },
    });
    expect(() => parseCallback('{"amount": 1}')).toThrow(/no valid status/);
    expect(() => parseCallback('not json')).toThrow(/not JSON/);
  });

  it.each(['REJECTED', 'TIMEOUT'])(
    'reads the status %s, which other clients have met, as FAILED',
    (status) => {
      expect(parseTransfer({ ...SEED_003_FAILED, status }).status).toBe('FAILED');
      expect(parseCallback({ ...SEED_003_FAILED, status }).status).toBe('FAILED');
    },
  );

  it('reads the status CREATED as PENDING, in a result and in a callback', () => {
    expect(parseTransfer({ ...SEED_003_FAILED, status: 'CREATED' }).status).toBe('PENDING');
    expect(parseCallback({ ...SEED_003_FAILED, status: 'CREATED' }).status).toBe('PENDING');
  });

  it('reads a list of pre-approvals given as a bare array, with missing fields as empty text', () => {
    expect(parsePreapprovalDetails([{ preApprovalId: 7, status: 'SUCCESSFUL' }])).toEqual([
      {
        preApprovalId: '7',
        toFri: '',
        fromFri: '',
        fromCurrency: '',
        createdTime: '',
        approvedTime: '',
        expiryTime: '',
        message: '',
        status: 'SUCCESSFUL',
      },
    ]);
  });

  it('reads no pre-approvals from a body without a list', () => {
    expect(parsePreapprovalDetails({ preApprovalDetails: 'none' })).toEqual([]);
    expect(parsePreapprovalDetails(undefined)).toEqual([]);
  });
});
