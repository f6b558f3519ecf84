/**
 * Deciding a pending transaction: by its stored plan when it falls due, or by the payer's own answer.
 * Each decision is one store transaction — lock the row, move the money, set the final status, record
 * the event and enqueue the callback — so a crash leaves either all of it or none of it.
 */

import { enqueueCallback } from '../outbox/callback-outbox.js';
import type { Repositories, TransactionRecord, TransactionResolution } from '../storage/store.js';
import { ensureAccount, sandboxOpeningMinor } from './accounts.js';
import type { ServiceContext } from './context.js';
import { postTransfer } from './ledger-posting.js';
import { presentRequestToPay } from './transaction-body.js';

/** financialTransactionId is the ledger transfer's number, offset to look like MTN's nine-digit ids. */
const FINANCIAL_TRANSACTION_ID_OFFSET = 100_000_000n;

export type Decision =
  | { readonly source: 'plan' }
  | { readonly source: 'payer'; readonly answer: 'APPROVE' | 'REJECT' };

export type DecisionOutcome =
  | { readonly kind: 'decided'; readonly transaction: TransactionRecord }
  | { readonly kind: 'not-found' | 'not-pending' | 'not-due' | 'not-awaiting-payer' };

export interface SettlementService {
  decide(transactionId: string, decision: Decision): Promise<DecisionOutcome>;
  /**
   * Decides up to `limit` transactions whose plan is due. One that throws is reported to `onError` and the
   * batch goes on; returns how many were decided, so a batch of failures does not make the caller spin.
   */
  settleDue(limit: number, onError: (error: unknown) => void): Promise<number>;
}

export function createSettlementService(context: ServiceContext): SettlementService {
  const { store, config, clock, signals } = context;

  async function collect(
    tx: Repositories,
    transaction: TransactionRecord,
    nowMs: number,
  ): Promise<Omit<TransactionResolution, 'atMs'>> {
    const failed = (reason: string) => ({ status: 'FAILED' as const, reason, financialTransactionId: null });
    const payer = await tx.accountHolders.findByParty(transaction.partyIdType, transaction.partyId);
    if (payer === undefined) {
      return failed('PAYER_NOT_FOUND');
    }
    if (payer.status === 'BLOCKED') {
      return failed('NOT_ALLOWED');
    }
    const apiUser = await tx.apiUsers.findById(transaction.apiUserId);
    if (apiUser === undefined) {
      throw new Error(`transaction ${transaction.id} names unknown API user ${transaction.apiUserId}`);
    }
    const wallet = await ensureAccount(
      tx,
      { ownerType: 'ACCOUNT_HOLDER', ownerId: payer.id, product: '' },
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
    const posting = await postTransfer(tx, {
      transferKey: `collection:${transaction.id}`,
      debitAccountId: wallet.id,
      creditAccountId: partnerAccount.id,
      amountMinor: transaction.amountMinor,
      currency: transaction.currency,
      transactionId: transaction.id,
      nowMs,
    });
    switch (posting.kind) {
      case 'posted':
        return {
          status: 'SUCCESSFUL',
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

  async function decide(transactionId: string, decision: Decision): Promise<DecisionOutcome> {
    const outcome = await store.transaction(async (tx): Promise<DecisionOutcome> => {
      const nowMs = clock.nowMs();
      const transaction = await tx.transactions.lockById(transactionId);
      if (transaction === undefined) {
        return { kind: 'not-found' };
      }
      if (transaction.status !== 'PENDING') {
        return { kind: 'not-pending' };
      }
      if (decision.source === 'plan' && (transaction.decideAtMs === null || transaction.decideAtMs > nowMs)) {
        return { kind: 'not-due' };
      }
      if (decision.source === 'payer' && !transaction.awaitingPayer) {
        return { kind: 'not-awaiting-payer' };
      }
      const approved =
        decision.source === 'plan'
          ? transaction.plannedOutcome === 'SUCCESSFUL'
          : decision.answer === 'APPROVE';
      const fallbackReason =
        decision.source === 'plan'
          ? (transaction.plannedReason ?? 'INTERNAL_PROCESSING_ERROR')
          : 'APPROVAL_REJECTED';
      const resolution: TransactionResolution = {
        ...(approved
          ? await collect(tx, transaction, nowMs)
          : { status: 'FAILED', reason: fallbackReason, financialTransactionId: null }),
        atMs: nowMs,
      };
      await tx.transactions.resolve(transaction.id, resolution);
      await tx.transactions.insertEvent({
        transactionId: transaction.id,
        status: resolution.status,
        reason: resolution.reason,
        detail: decision.source === 'payer' ? `payer answered ${decision.answer}` : 'decided by plan',
        atMs: nowMs,
      });
      const resolved: TransactionRecord = {
        ...transaction,
        ...resolution,
        decideAtMs: null,
        awaitingPayer: false,
        updatedAtMs: nowMs,
      };
      if (transaction.callbackUrl !== null) {
        await enqueueCallback(tx, config, {
          transactionId: transaction.id,
          url: transaction.callbackUrl,
          targetEnvironment: transaction.targetEnvironment,
          body: presentRequestToPay(resolved, config.reasonFormat),
          nowMs,
        });
      }
      return { kind: 'decided', transaction: resolved };
    });
    if (outcome.kind === 'decided' && outcome.transaction.callbackUrl !== null) {
      signals.callbacksDue();
    }
    return outcome;
  }

  return {
    decide,
    async settleDue(limit, onError) {
      const dueIds = await store.transactions.listDueIds(clock.nowMs(), limit);
      let decided = 0;
      for (const id of dueIds) {
        try {
          await decide(id, { source: 'plan' });
          decided++;
        } catch (error) {
          onError(error);
        }
      }
      return decided;
    },
  };
}
