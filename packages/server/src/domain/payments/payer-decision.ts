/**
 * When and how a pending request-to-pay is decided. The plan is stored with the transaction, so a restart
 * resumes it: a due plan is carried out by the settlement worker, an awaited one by the payer's answer.
 */
import type { FailureReason } from '@openmomo/contract';
import type { TestNumberScenario } from './sandbox-test-numbers.js';

export type PlannedOutcome = 'SUCCESSFUL' | 'FAILED';

export interface DecisionPlan {
  /** What happens at `decideAtMs`, unless the payer answers first. */
  readonly outcome: PlannedOutcome;
  readonly reason: FailureReason | null;
  /** Null: nothing ever decides it (pending forever). */
  readonly decideAtMs: number | null;
  /** True while the payer may approve or reject it on the operator API. */
  readonly awaitingPayer: boolean;
}

export interface DecisionTiming {
  readonly autoApprovalDelayMs: number;
  readonly delayedApprovalDelayMs: number;
  readonly approvalTimeoutMs: number;
}

const plannedFailure = (reason: FailureReason, decideAtMs: number): DecisionPlan => ({
  outcome: 'FAILED',
  reason,
  decideAtMs,
  awaitingPayer: false,
});

const plannedSuccess = (decideAtMs: number): DecisionPlan => ({
  outcome: 'SUCCESSFUL',
  reason: null,
  decideAtMs,
  awaitingPayer: false,
});

/** A test number's "pending forever": no time decides it and nobody is asked. */
const NEVER_DECIDED: DecisionPlan = {
  outcome: 'FAILED',
  reason: null,
  decideAtMs: null,
  awaitingPayer: false,
};

export interface PayerFacts {
  /** Null when no account holder has this party id. */
  readonly payer: {
    readonly status: 'ACTIVE' | 'BLOCKED';
    readonly approvalMode: 'AUTO' | 'INTERACTIVE';
  } | null;
  readonly scenario: TestNumberScenario | undefined;
  /** The payer approved this partner in advance (a valid pre-approval): no prompt, approve at once. */
  readonly preapproved?: boolean;
}

/** Plans the payer's decision on a new request-to-pay. */
export function planPayerDecision(facts: PayerFacts, timing: DecisionTiming, nowMs: number): DecisionPlan {
  const fail = (reason: FailureReason) => plannedFailure(reason, nowMs + timing.autoApprovalDelayMs);
  const approve = (delayMs: number) => plannedSuccess(nowMs + delayMs);
  const awaitPayer: DecisionPlan = {
    outcome: 'FAILED',
    reason: 'EXPIRED',
    decideAtMs: nowMs + timing.approvalTimeoutMs,
    awaitingPayer: true,
  };

  switch (facts.scenario?.kind) {
    case 'fail':
      return fail(facts.scenario.reason);
    case 'pending-forever':
      return NEVER_DECIDED;
    case 'approve-after-delay':
      return approve(timing.delayedApprovalDelayMs);
    case 'unknown-payer':
      return fail('PAYER_NOT_FOUND');
    case 'interactive':
      return awaitPayer;
    case 'unfunded-wallet':
    case undefined:
      break;
  }
  if (facts.payer === null) {
    return fail('PAYER_NOT_FOUND');
  }
  if (facts.payer.status === 'BLOCKED') {
    return fail('NOT_ALLOWED');
  }
  if (facts.preapproved === true) {
    return approve(timing.autoApprovalDelayMs);
  }
  return facts.payer.approvalMode === 'INTERACTIVE' ? awaitPayer : approve(timing.autoApprovalDelayMs);
}

export interface PayeeFacts {
  /** Null when no account holder has this party id. */
  readonly payee: { readonly status: 'ACTIVE' | 'BLOCKED' } | null;
  readonly scenario: TestNumberScenario | undefined;
}

/**
 * Plans a payout (transfer, deposit, refund, cash transfer). Nobody is asked: the platform credits the
 * payee after the auto-approval delay, unless a test number or the payee's state says otherwise. Whether
 * the partner's account can pay is the ledger's decision, at that moment.
 */
export function planPayoutDecision(facts: PayeeFacts, timing: DecisionTiming, nowMs: number): DecisionPlan {
  const fail = (reason: FailureReason) => plannedFailure(reason, nowMs + timing.autoApprovalDelayMs);
  const pay = (delayMs: number) => plannedSuccess(nowMs + delayMs);
  switch (facts.scenario?.kind) {
    case 'fail':
      return fail(facts.scenario.reason);
    case 'pending-forever':
      return NEVER_DECIDED;
    case 'approve-after-delay':
      return pay(timing.delayedApprovalDelayMs);
    case 'unknown-payer':
      return fail('PAYEE_NOT_FOUND');
    default:
      break;
  }
  if (facts.payee === null) {
    return fail('PAYEE_NOT_FOUND');
  }
  return facts.payee.status === 'BLOCKED'
    ? fail('PAYEE_NOT_ALLOWED_TO_RECEIVE')
    : pay(timing.autoApprovalDelayMs);
}
