import { describe, expect, it } from 'vitest';
import { planPayerDecision } from './payer-decision.js';
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
