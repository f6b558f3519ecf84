/**
 * Sandbox test numbers: payer or payee MSISDNs whose outcome is fixed. The first five are MTN's own
 * (shared/momo-api.md §7); the 4673312346x range is OpenMoMo's, one number per remaining reason code.
 */
import type { FailureReason } from '@openmomo/contract';

export type TestNumberScenario =
  | { readonly kind: 'fail'; readonly reason: FailureReason }
  /** Stays PENDING: the payer never answers and the request never expires. */
  | { readonly kind: 'pending-forever' }
  /** PENDING for the configured "delayed" time, then SUCCESSFUL. */
  | { readonly kind: 'approve-after-delay' }
  /** The payer's wallet is opened empty, so the real ledger refuses the debit with NOT_ENOUGH_FUNDS. */
  | { readonly kind: 'unfunded-wallet' }
  /** The payer does not exist. */
  | { readonly kind: 'unknown-payer' }
  /** The payer answers on the operator API (dashboard phone, CLI), or the request expires. */
  | { readonly kind: 'interactive' };

export interface TestNumber {
  readonly msisdn: string;
  readonly scenario: TestNumberScenario;
  readonly description: string;
}

export const SANDBOX_TEST_NUMBERS: readonly TestNumber[] = [
  {
    msisdn: '46733123450',
    scenario: { kind: 'fail', reason: 'INTERNAL_PROCESSING_ERROR' },
    description: 'FAILED, INTERNAL_PROCESSING_ERROR (MTN)',
  },
  {
    msisdn: '46733123451',
    scenario: { kind: 'fail', reason: 'APPROVAL_REJECTED' },
    description: 'FAILED, APPROVAL_REJECTED (MTN)',
  },
  {
    msisdn: '46733123452',
    scenario: { kind: 'fail', reason: 'EXPIRED' },
    description: 'FAILED, EXPIRED (MTN)',
  },
  {
    msisdn: '46733123453',
    scenario: { kind: 'pending-forever' },
    description: 'PENDING forever (MTN "ongoing")',
  },
  {
    msisdn: '46733123454',
    scenario: { kind: 'approve-after-delay' },
    description: 'PENDING for a while, then SUCCESSFUL (MTN "delayed")',
  },
  {
    msisdn: '46733123460',
    scenario: { kind: 'unfunded-wallet' },
    description: 'FAILED, NOT_ENOUGH_FUNDS: the wallet is empty',
  },
  { msisdn: '46733123461', scenario: { kind: 'unknown-payer' }, description: 'FAILED, PAYER_NOT_FOUND' },
  {
    msisdn: '46733123462',
    scenario: { kind: 'fail', reason: 'PAYER_LIMIT_REACHED' },
    description: 'FAILED, PAYER_LIMIT_REACHED',
  },
  {
    msisdn: '46733123463',
    scenario: { kind: 'fail', reason: 'NOT_ALLOWED' },
    description: 'FAILED, NOT_ALLOWED',
  },
  {
    msisdn: '46733123464',
    scenario: { kind: 'fail', reason: 'TRANSACTION_CANCELED' },
    description: 'FAILED, TRANSACTION_CANCELED',
  },
  {
    msisdn: '46733123465',
    scenario: { kind: 'fail', reason: 'SERVICE_UNAVAILABLE' },
    description: 'FAILED, SERVICE_UNAVAILABLE',
  },
  {
    msisdn: '46733123466',
    scenario: { kind: 'fail', reason: 'PAYEE_NOT_ALLOWED_TO_RECEIVE' },
    description: 'FAILED, PAYEE_NOT_ALLOWED_TO_RECEIVE',
  },
  {
    msisdn: '46733123467',
    scenario: { kind: 'fail', reason: 'PAYMENT_NOT_APPROVED' },
    description: 'FAILED, PAYMENT_NOT_APPROVED',
  },
  {
    msisdn: '46733123468',
    scenario: { kind: 'fail', reason: 'PAYEE_NOT_FOUND' },
    description: 'FAILED, PAYEE_NOT_FOUND',
  },
  {
    msisdn: '46733123469',
    scenario: { kind: 'fail', reason: 'NOT_ALLOWED_TARGET_ENVIRONMENT' },
    description: 'FAILED, NOT_ALLOWED_TARGET_ENVIRONMENT',
  },
  {
    msisdn: '46733123470',
    scenario: { kind: 'interactive' },
    description: 'Waits for approve/reject on the operator API, else EXPIRED',
  },
];

const SCENARIO_BY_MSISDN: ReadonlyMap<string, TestNumberScenario> = new Map(
  SANDBOX_TEST_NUMBERS.map((testNumber) => [testNumber.msisdn, testNumber.scenario]),
);

export function findTestNumberScenario(msisdn: string): TestNumberScenario | undefined {
  return SCENARIO_BY_MSISDN.get(msisdn);
}
