import { describe, expect, it } from 'vitest';
import { planPayerDecision, planPayoutDecision } from './payer-decision.js';
import { findTestNumberScenario } from './sandbox-test-numbers.js';

const timing = { autoApprovalDelayMs: 100, delayedApprovalDelayMs: 5_000, approvalTimeoutMs: 60_000 };
const NOW = 1_000_000;
const activeAutoPayer = { status: 'ACTIVE', approvalMode: 'AUTO' } as const;

describe('planPayerDecision', () => {
  it('approves an active payer after the auto-approval delay', () => {
    expect(planPayerDecision({ payer: activeAutoPayer, scenario: undefined }, timing, NOW)).toEqual({
      outcome: 'SUCCESSFUL',
      reason: null,
      decideAtMs: NOW + 100,
      awaitingPayer: false,
    });
  });

  it('waits for an interactive payer and expires the request after the approval timeout', () => {
    const plan = planPayerDecision(
      { payer: { status: 'ACTIVE', approvalMode: 'INTERACTIVE' }, scenario: undefined },
      timing,
      NOW,
    );
    expect(plan).toEqual({
      outcome: 'FAILED',
      reason: 'EXPIRED',
      decideAtMs: NOW + 60_000,
      awaitingPayer: true,
    });
  });

  it('fails an unknown payer with PAYER_NOT_FOUND', () => {
    expect(planPayerDecision({ payer: null, scenario: undefined }, timing, NOW).reason).toBe(
      'PAYER_NOT_FOUND',
    );
  });

  it('fails a blocked payer with NOT_ALLOWED', () => {
    const plan = planPayerDecision(
      { payer: { status: 'BLOCKED', approvalMode: 'AUTO' }, scenario: undefined },
      timing,
      NOW,
    );
    expect(plan.reason).toBe('NOT_ALLOWED');
  });

  it.each([
    ['46733123450', 'INTERNAL_PROCESSING_ERROR'],
    ['46733123451', 'APPROVAL_REJECTED'],
    ['46733123452', 'EXPIRED'],
  ])("reproduces MTN's outcome for test number %s", (msisdn, reason) => {
    const plan = planPayerDecision(
      { payer: activeAutoPayer, scenario: findTestNumberScenario(msisdn) },
      timing,
      NOW,
    );
    expect(plan).toMatchObject({ outcome: 'FAILED', reason });
  });

  it('never decides the "ongoing" test number', () => {
    const plan = planPayerDecision(
      { payer: activeAutoPayer, scenario: findTestNumberScenario('46733123453') },
      timing,
      NOW,
    );
    expect(plan.decideAtMs).toBeNull();
  });

  it('approves the "delayed" test number after the delayed-approval time', () => {
    const plan = planPayerDecision(
      { payer: activeAutoPayer, scenario: findTestNumberScenario('46733123454') },
      timing,
      NOW,
    );
    expect(plan).toMatchObject({ outcome: 'SUCCESSFUL', decideAtMs: NOW + 5_000 });
  });

  it('lets the unfunded test number reach the ledger, which refuses the debit', () => {
    const plan = planPayerDecision(
      { payer: activeAutoPayer, scenario: findTestNumberScenario('46733123460') },
      timing,
      NOW,
    );
    expect(plan.outcome).toBe('SUCCESSFUL');
  });
});

describe('planPayerDecision with a pre-approval', () => {
  it('approves an interactive payer without a prompt', () => {
    const plan = planPayerDecision(
      { payer: { status: 'ACTIVE', approvalMode: 'INTERACTIVE' }, scenario: undefined, preapproved: true },
      timing,
      NOW,
    );
    expect(plan).toEqual({
      outcome: 'SUCCESSFUL',
      reason: null,
      decideAtMs: NOW + 100,
      awaitingPayer: false,
    });
  });
});

describe('planPayoutDecision', () => {
  it('pays an active payee after the auto-approval delay', () => {
    expect(
      planPayoutDecision({ payee: { status: 'ACTIVE' }, scenario: undefined }, timing, NOW),
    ).toMatchObject({
      outcome: 'SUCCESSFUL',
      decideAtMs: NOW + 100,
    });
  });

  it('fails an unknown payee with PAYEE_NOT_FOUND and a blocked one with PAYEE_NOT_ALLOWED_TO_RECEIVE', () => {
    expect(planPayoutDecision({ payee: null, scenario: undefined }, timing, NOW).reason).toBe(
      'PAYEE_NOT_FOUND',
    );
    expect(
      planPayoutDecision({ payee: { status: 'BLOCKED' }, scenario: undefined }, timing, NOW).reason,
    ).toBe('PAYEE_NOT_ALLOWED_TO_RECEIVE');
  });

  it('reads the unknown-party test number as PAYEE_NOT_FOUND and pays the interactive one normally', () => {
    const active = { payee: { status: 'ACTIVE' as const } };
    expect(
      planPayoutDecision({ ...active, scenario: findTestNumberScenario('46733123461') }, timing, NOW).reason,
    ).toBe('PAYEE_NOT_FOUND');
    expect(
      planPayoutDecision({ ...active, scenario: findTestNumberScenario('46733123470') }, timing, NOW).outcome,
    ).toBe('SUCCESSFUL');
  });
});
