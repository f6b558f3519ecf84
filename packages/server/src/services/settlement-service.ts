/**
 * Deciding a pending transaction: by its stored plan when it falls due, or by the payer's own answer.
 * Each decision is one store transaction — lock the row, move the money, set the final status, record
 * the event and enqueue the callback — so a crash leaves either all of it or none of it.
 */
import { KIND_RULES } from '../domain/payments/transaction-kinds.js';
import { enqueueCallback } from '../outbox/callback-outbox.js';
import type {
  AccountRecord,
  Repositories,
  TransactionRecord,
  TransactionResolution,
} from '../storage/store.js';
import { ensureAccount, sandboxOpeningMinor } from './accounts.js';
import { forEachWithLimit } from './bounded-concurrency.js';
import type { ServiceContext } from './context.js';
import { postTransferBetween } from './ledger-posting.js';
import { presentTransaction } from './resources/index.js';
import { preapprovalValiditySeconds } from './resources/preapproval.js';
import { refundProblem } from './resources/refund.js';

/** financialTransactionId is the ledger transfer's number, offset to look like MTN's nine-digit ids. */
const FINANCIAL_TRANSACTION_ID_OFFSET = 100_000_000n;

/**
 * A payer who enters a wrong PIN this many times on one request fails it, as MoMo's own menus end a payment
 * after the third wrong PIN.
 */
export const WRONG_PIN_LIMIT = 3;

/** The reason of the PENDING event that records a wrong PIN: the payer's tries are counted from these events. */
const WRONG_PIN_EVENT = 'WRONG_PIN';

export type Decision =
  | { readonly source: 'plan' }
  | { readonly source: 'payer'; readonly answer: 'APPROVE' | 'REJECT' | 'WRONG_PIN' };

export type DecisionOutcome =
  | {
      readonly kind: 'decided';
      readonly transaction: TransactionRecord;
      /** The payer answered after the request's deadline: it was decided by its plan instead (it expired). */
      readonly answeredTooLate?: true;
    }
  | { readonly kind: 'wrong-pin'; readonly attemptsLeft: number }
  | { readonly kind: 'not-found' | 'not-pending' | 'not-due' | 'not-awaiting-payer' };

export interface SettlementService {
  decide(transactionId: string, decision: Decision): Promise<DecisionOutcome>;
  /**
   * Decides up to `limit` transactions whose plan is due. One that throws is reported to `onError` and the
   * batch goes on; returns how many were decided, so a batch of failures does not make the caller spin.
   */
  settleDue(limit: number, onError: (error: unknown) => void): Promise<number>;
}

type Resolution = Omit<TransactionResolution, 'atMs'>;

/**
 * Decisions in flight at once: under the default PostgreSQL pool of 10 (DATABASE_POOL_SIZE), which also serves
 * HTTP requests; a much smaller pool makes requests wait for decisions.
 */
const SETTLEMENT_CONCURRENCY = 4;

/**
 * A decision that throws is tried again this much later, behind the transactions due meanwhile: one that can
 * never be decided (a bug, a value the database refuses) must not hold the head of the due queue, where it
 * would fill every batch and stop settlement for everyone.
 */
export const FAILED_DECISION_RETRY_MS = 30_000;

function detailOf(decision: Decision): string {
  if (decision.source === 'plan') {
    return 'decided by plan';
  }
  return decision.answer === 'WRONG_PIN'
    ? `payer entered a wrong PIN ${WRONG_PIN_LIMIT} times`
    : `payer answered ${decision.answer}`;
}

const failed = (reason: string): Resolution => ({ status: 'FAILED', reason, financialTransactionId: null });

export function createSettlementService(context: ServiceContext): SettlementService {
  const { store, config, clock, signals } = context;

  async function accountsOf(
    tx: Repositories,
    transaction: TransactionRecord,
    holderId: string,
    nowMs: number,
  ) {
    const apiUser = await tx.apiUsers.findById(transaction.apiUserId);
    if (apiUser === undefined) {
      throw new Error(`transaction ${transaction.id} names unknown API user ${transaction.apiUserId}`);
    }
    const wallet = await ensureAccount(
      tx,
      { ownerType: 'ACCOUNT_HOLDER', ownerId: holderId, product: '' },
      transaction.currency,
      {
        openingMinor: 0n,
        nowMs,
      },
    );
    const partnerAccount = await ensureAccount(
      tx,
      { ownerType: 'PARTNER', ownerId: apiUser.partnerId, product: transaction.product },
      transaction.currency,
      { openingMinor: sandboxOpeningMinor(config, 'partner', transaction.currency), nowMs },
    );
    return { wallet, partnerAccount };
  }

  async function post(
    tx: Repositories,
    transaction: TransactionRecord,
    debit: AccountRecord,
    credit: AccountRecord,
    nowMs: number,
  ) {
    const posting = await postTransferBetween(tx, debit, credit, {
      transferKey: `${transaction.kind.toLowerCase()}:${transaction.id}`,
      amountMinor: transaction.amountMinor,
      currency: transaction.currency,
      transactionId: transaction.id,
      nowMs,
    });
    switch (posting.kind) {
      case 'posted':
        return {
          status: 'SUCCESSFUL' as const,
          reason: null,
          financialTransactionId: String(FINANCIAL_TRANSACTION_ID_OFFSET + posting.transferId),
        };
      case 'rejected':
        return failed(
          posting.reason === 'NOT_ENOUGH_FUNDS' ? 'NOT_ENOUGH_FUNDS' : 'INTERNAL_PROCESSING_ERROR',
        );
      case 'duplicate':
        // The row lock and the PENDING check make this unreachable; a second posting would be a bug.
        throw new Error(`transaction ${transaction.id} was already posted while still PENDING`);
    }
  }

  /** Money in: the payer's wallet pays the partner's product account. */
  async function collect(
    tx: Repositories,
    transaction: TransactionRecord,
    nowMs: number,
  ): Promise<Resolution> {
    const payer = await tx.accountHolders.findByParty(transaction.partyIdType, transaction.partyId);
    if (payer === undefined) {
      return failed('PAYER_NOT_FOUND');
    }
    if (payer.status === 'BLOCKED') {
      return failed('NOT_ALLOWED');
    }
    const { wallet, partnerAccount } = await accountsOf(tx, transaction, payer.id, nowMs);
    return post(tx, transaction, wallet, partnerAccount, nowMs);
  }

  /** Money out: the partner's product account pays the payee's wallet; the ledger refuses an overdraft. */
  async function payOut(
    tx: Repositories,
    transaction: TransactionRecord,
    nowMs: number,
  ): Promise<Resolution> {
    const payee = await tx.accountHolders.findByParty(transaction.partyIdType, transaction.partyId);
    if (payee === undefined) {
      return failed('PAYEE_NOT_FOUND');
    }
    if (payee.status === 'BLOCKED') {
      return failed('PAYEE_NOT_ALLOWED_TO_RECEIVE');
    }
    if (transaction.kind === 'REFUND') {
      // Locking the original payment serializes its refunds: together they never exceed it.
      const original =
        transaction.relatedTransactionId === null
          ? undefined
          : await tx.transactions.lockById(transaction.relatedTransactionId);
      const problem = await refundProblem(tx, original, {
        amountMinor: transaction.amountMinor,
        currency: transaction.currency,
        refundId: transaction.id,
      });
      if (problem !== null) {
        return failed('NOT_ALLOWED');
      }
    }
    const { wallet, partnerAccount } = await accountsOf(tx, transaction, payee.id, nowMs);
    return post(tx, transaction, partnerAccount, wallet, nowMs);
  }

  async function approve(
    tx: Repositories,
    transaction: TransactionRecord,
    nowMs: number,
  ): Promise<Resolution> {
    switch (KIND_RULES[transaction.kind].flow) {
      case 'COLLECT':
        return collect(tx, transaction, nowMs);
      case 'PAYOUT':
        return payOut(tx, transaction, nowMs);
      case 'NONE':
        // A pre-approval or a consent moves no money; a pre-approval's validity starts when it is approved.
        return {
          status: 'SUCCESSFUL',
          reason: null,
          financialTransactionId: null,
          ...(transaction.kind === 'PREAPPROVAL'
            ? { validUntilMs: nowMs + preapprovalValiditySeconds(transaction) * 1000 }
            : {}),
        };
    }
  }

  async function decide(transactionId: string, asked: Decision): Promise<DecisionOutcome> {
    const outcome = await store.transaction(async (tx): Promise<DecisionOutcome> => {
      const nowMs = clock.nowMs();
      const transaction = await tx.transactions.lockById(transactionId);
      if (transaction === undefined) {
        return { kind: 'not-found' };
      }
      if (transaction.status !== 'PENDING') {
        return { kind: 'not-pending' };
      }
      const due = transaction.decideAtMs !== null && transaction.decideAtMs <= nowMs;
      if (asked.source === 'plan' && !due) {
        return { kind: 'not-due' };
      }
      if (asked.source === 'payer' && !transaction.awaitingPayer) {
        return { kind: 'not-awaiting-payer' };
      }
      // A payer's answer that comes after the deadline, before the settlement loop got to the request, is too
      // late: the request ends as its plan says (it expired), and no money moves on an expired request.
      const answeredTooLate = asked.source === 'payer' && due;
      const decision: Decision = answeredTooLate ? { source: 'plan' } : asked;
      if (decision.source === 'payer' && decision.answer === 'WRONG_PIN') {
        // Counted under the row lock, so wrong PINs sent at once cannot together get more tries than the limit.
        await tx.transactions.insertEvent({
          transactionId: transaction.id,
          status: 'PENDING',
          reason: WRONG_PIN_EVENT,
          detail: 'payer entered a wrong PIN',
          atMs: nowMs,
        });
        const wrongPins = (await tx.transactions.listEvents(transaction.id)).filter(
          (event) => event.reason === WRONG_PIN_EVENT,
        ).length;
        if (wrongPins < WRONG_PIN_LIMIT) {
          return { kind: 'wrong-pin', attemptsLeft: WRONG_PIN_LIMIT - wrongPins };
        }
      }
      const approved =
        decision.source === 'plan'
          ? transaction.plannedOutcome === 'SUCCESSFUL'
          : decision.answer === 'APPROVE';
      const refusal =
        decision.source === 'plan'
          ? (transaction.plannedReason ?? 'INTERNAL_PROCESSING_ERROR')
          : 'APPROVAL_REJECTED';
      const resolution: TransactionResolution = {
        ...(approved ? await approve(tx, transaction, nowMs) : failed(refusal)),
        atMs: nowMs,
      };
      await tx.transactions.resolve(transaction.id, resolution);
      await tx.transactions.insertEvent({
        transactionId: transaction.id,
        status: resolution.status,
        reason: resolution.reason,
        detail: detailOf(decision),
        atMs: nowMs,
      });
      const resolved: TransactionRecord = {
        ...transaction,
        status: resolution.status,
        reason: resolution.reason,
        financialTransactionId: resolution.financialTransactionId,
        validUntilMs: resolution.validUntilMs ?? transaction.validUntilMs,
        decideAtMs: null,
        awaitingPayer: false,
        updatedAtMs: nowMs,
      };
      if (transaction.callbackUrl !== null) {
        await enqueueCallback(tx, config, {
          transactionId: transaction.id,
          url: transaction.callbackUrl,
          targetEnvironment: transaction.targetEnvironment,
          body: presentTransaction(resolved, config.reasonFormat),
          nowMs,
        });
      }
      return { kind: 'decided', transaction: resolved, ...(answeredTooLate ? { answeredTooLate } : {}) };
    });
    if (outcome.kind === 'decided') {
      context.events.publish({
        type: 'transaction',
        transactionId,
        status: outcome.transaction.status,
        kind: outcome.transaction.kind,
      });
      if (outcome.transaction.callbackUrl !== null) {
        signals.callbacksDue();
      }
    }
    return outcome;
  }

  return {
    decide,
    async settleDue(limit, onError) {
      const dueIds = await store.transactions.listDueIds(clock.nowMs(), limit);
      let decided = 0;
      // Each decision is its own transaction that waits on the database most of its time; on PostgreSQL,
      // one at a time caps settlement near 50 per second. Row locks and retried deadlocks keep concurrent
      // decisions as safe as two servers' (two-nodes test). On SQLite they run one after another and share a commit.
      await forEachWithLimit(
        dueIds,
        SETTLEMENT_CONCURRENCY,
        async (id) => {
          try {
            await decide(id, { source: 'plan' });
            decided++;
          } catch (error) {
            onError(error);
            await store.transactions.postponeDecision(id, clock.nowMs() + FAILED_DECISION_RETRY_MS);
          }
        },
        onError,
      );
      return decided;
    },
  };
}
