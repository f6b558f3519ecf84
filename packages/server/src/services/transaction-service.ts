/**
 * Creating and reading every asynchronous MoMo resource (request to pay, withdrawals, payments, invoices,
 * pre-approvals, transfers, deposits, refunds, cash transfers). A creation is one store transaction: the
 * duplicate check, the sandbox party, the decision plan, the transaction row and its first event.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { PartyIdType } from '@openmomo/contract';
import {
  type DecisionPlan,
  planPayerDecision,
  planPayoutDecision,
} from '../domain/payments/payer-decision.js';
import { findTestNumberScenario } from '../domain/payments/sandbox-test-numbers.js';
import { KIND_RULES, type TransactionKind } from '../domain/payments/transaction-kinds.js';
import { enqueueCallback } from '../outbox/callback-outbox.js';
import type { AccountHolderRecord, Repositories, TransactionRecord } from '../storage/store.js';
import type { AccessClaims } from './access-service.js';
import { ensureAccount, SANDBOX_HOLDER_NAMES, sandboxOpeningMinor } from './accounts.js';
import type { ServiceContext } from './context.js';
import { type MomoFailure, momoFailure } from './outcomes.js';
import type { TransactionDraft } from './resources/draft.js';
import { presentTransaction } from './resources/index.js';
import { checkCallbackUrl, isFailure } from './resources/validation.js';

export interface CreateCommand {
  readonly caller: AccessClaims;
  readonly referenceId: string;
  readonly callbackUrl: string | undefined;
  /** The validated request, or why it was refused. */
  readonly draft: TransactionDraft | MomoFailure;
}

export type CreateOutcome = { readonly kind: 'accepted'; readonly transactionId: string } | MomoFailure;

/** Kinds whose payer skips the prompt when they pre-approved the partner. */
const PREAPPROVABLE_KINDS: readonly TransactionKind[] = ['REQUEST_TO_PAY', 'PAYMENT'];

class DuplicateReference extends Error {}

/** Thrown out of the creation's transaction to undo any setup it did; carries the refusal. */
class RefusedWhenCreating extends Error {
  readonly failure: MomoFailure;
  constructor(failure: MomoFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

export function createTransactionService(context: ServiceContext) {
  const { store, config, clock, signals } = context;

  /** Test numbers script outcomes in sandbox mode only: in production they are somebody's real number. */
  const scenarioOf = (party: { partyIdType: PartyIdType; partyId: string }) =>
    config.sandboxMode && party.partyIdType === 'MSISDN' ? findTestNumberScenario(party.partyId) : undefined;

  /** The account holder behind the party; in sandbox mode an unknown one is created with a funded wallet. */
  async function resolveParty(
    tx: Repositories,
    draft: TransactionDraft,
    nowMs: number,
  ): Promise<AccountHolderRecord | undefined> {
    const { party } = draft;
    const scenario = scenarioOf(party);
    const found = await tx.accountHolders.findWithWallet(party.partyIdType, party.partyId, draft.currency);
    const existing = found?.holder;
    if (!config.sandboxMode || scenario?.kind === 'unknown-payer' || found?.hasWallet === true) {
      return existing;
    }
    if (existing === undefined) {
      await tx.accountHolders.insertIfAbsent({
        id: randomUUID(),
        ...party,
        ...SANDBOX_HOLDER_NAMES,
        status: 'ACTIVE',
        approvalMode: scenario?.kind === 'interactive' ? 'INTERACTIVE' : 'AUTO',
        pinHash: null,
        birthdate: '',
        locale: 'en',
        gender: '',
        createdAtMs: nowMs,
      });
    }
    const holder = existing ?? (await tx.accountHolders.findByParty(party.partyIdType, party.partyId));
    if (holder !== undefined && draft.amountMinor > 0n) {
      // A sandbox wallet in this currency opens funded, unless it exists already or is the empty-wallet number.
      const opening =
        scenario?.kind === 'unfunded-wallet' ? 0n : sandboxOpeningMinor(config, 'wallet', draft.currency);
      await ensureAccount(
        tx,
        { ownerType: 'ACCOUNT_HOLDER', ownerId: holder.id, product: '' },
        draft.currency,
        {
          openingMinor: opening,
          nowMs,
        },
      );
    }
    return holder;
  }

  /**
   * The names a resource shows for its payee (an invoice's): their profile's, or the sandbox's stand-in for a
   * number nobody registered; none for a party nobody knows.
   */
  async function payeeNames(tx: Repositories, party: TransactionDraft['party']) {
    const holder = await tx.accountHolders.findByParty(party.partyIdType, party.partyId);
    const names =
      holder ??
      (config.sandboxMode && scenarioOf(party)?.kind !== 'unknown-payer' ? SANDBOX_HOLDER_NAMES : null);
    return { payeeFirstName: names?.givenName ?? null, payeeLastName: names?.familyName ?? null };
  }

  async function plan(
    tx: Repositories,
    caller: AccessClaims,
    draft: TransactionDraft,
    holder: AccountHolderRecord | undefined,
    nowMs: number,
  ) {
    const scenario = scenarioOf(draft.party);
    if (KIND_RULES[draft.kind].decidedBy === 'PLATFORM') {
      return planPayoutDecision(
        { payee: holder === undefined ? null : { status: holder.status }, scenario },
        config,
        nowMs,
      );
    }
    const payerFacts = {
      payer: holder === undefined ? null : { status: holder.status, approvalMode: holder.approvalMode },
      scenario,
    };
    const unapproved = planPayerDecision({ ...payerFacts, preapproved: false }, config, nowMs);
    const preapproved = planPayerDecision({ ...payerFacts, preapproved: true }, config, nowMs);
    // The pre-approval lookup is a query on every request, and most payers' plan does not depend on it (an AUTO
    // payer is approved at once either way): it runs only when its answer changes the plan.
    const payerPlan: DecisionPlan =
      PREAPPROVABLE_KINDS.includes(draft.kind) &&
      !isDeepStrictEqual(unapproved, preapproved) &&
      (await tx.transactions.hasActivePreapproval({
        partnerId: caller.partnerId,
        ...draft.party,
        currency: draft.currency,
        nowMs,
      }))
        ? preapproved
        : unapproved;
    // An invoice waits for its payer until it is no longer payable, not for the usual approval time.
    return draft.payableForSeconds !== null && payerPlan.awaitingPayer
      ? { ...payerPlan, decideAtMs: nowMs + draft.payableForSeconds * 1000 }
      : payerPlan;
  }

  /**
   * `refusal`, unless the X-Reference-Id is taken: a retry of a request that was accepted is told so, not
   * refused for what its first try changed (a refund's retry finds nothing left to refund).
   */
  async function refusedUnlessTaken(command: CreateCommand, refusal: MomoFailure): Promise<MomoFailure> {
    const taken = await store.transactions.findByReference(command.caller.apiUserId, command.referenceId);
    return taken === undefined ? refusal : momoFailure('RESOURCE_ALREADY_EXIST');
  }

  async function create(command: CreateCommand): Promise<CreateOutcome> {
    const { caller, draft } = command;
    if (isFailure(draft)) {
      return refusedUnlessTaken(command, draft);
    }
    const callbackProblem = checkCallbackUrl(caller, command.callbackUrl);
    if (callbackProblem !== null) {
      return refusedUnlessTaken(command, callbackProblem);
    }
    const transactionId = randomUUID();
    let decideAtMs: number | null = null;
    try {
      await store.transaction(async (tx) => {
        const nowMs = clock.nowMs();
        const refusal = (await draft.recheckWhenCreating?.(tx)) ?? null;
        if (refusal !== null) {
          const taken = await tx.transactions.findByReference(caller.apiUserId, command.referenceId);
          throw taken === undefined ? new RefusedWhenCreating(refusal) : new DuplicateReference();
        }
        const holder = await resolveParty(tx, draft, nowMs);
        const decision = await plan(tx, caller, draft, holder, nowMs);
        decideAtMs = decision.decideAtMs;
        const inserted = await tx.transactions.insertIfAbsent({
          id: transactionId,
          apiUserId: caller.apiUserId,
          referenceId: command.referenceId,
          kind: draft.kind,
          product: draft.product,
          targetEnvironment: caller.targetEnvironment,
          status: 'PENDING',
          reason: null,
          amountMinor: draft.amountMinor,
          currency: draft.currency,
          externalId: draft.externalId,
          ...draft.party,
          payerMessage: draft.payerMessage,
          payeeNote: draft.payeeNote,
          callbackUrl: command.callbackUrl ?? null,
          financialTransactionId: null,
          plannedOutcome: decision.outcome,
          plannedReason: decision.reason,
          decideAtMs: decision.decideAtMs,
          awaitingPayer: decision.awaitingPayer,
          requestJson: JSON.stringify(draft.request),
          relatedTransactionId: draft.relatedTransactionId,
          validUntilMs: draft.payableForSeconds === null ? null : nowMs + draft.payableForSeconds * 1000,
          ...(draft.namedPayee === undefined
            ? { payeeFirstName: null, payeeLastName: null }
            : await payeeNames(tx, draft.namedPayee)),
          createdAtMs: nowMs,
          updatedAtMs: nowMs,
        });
        if (!inserted) {
          // The X-Reference-Id is taken (the unique key says so, without a lookup first): undo everything of ours.
          throw new DuplicateReference();
        }
        await tx.transactions.insertEvent({
          transactionId,
          status: 'PENDING',
          reason: null,
          detail: 'request received',
          atMs: nowMs,
        });
      });
    } catch (error) {
      if (error instanceof DuplicateReference) {
        return momoFailure('RESOURCE_ALREADY_EXIST');
      }
      if (error instanceof RefusedWhenCreating) {
        return error.failure;
      }
      throw error;
    }
    if (decideAtMs !== null && decideAtMs <= clock.nowMs()) {
      signals.settlementDue();
    }
    context.events.publish({ type: 'transaction', transactionId, status: 'PENDING', kind: draft.kind });
    return { kind: 'accepted', transactionId };
  }

  /**
   * `find` answered from memory, without a promise, when the store holds the current record; undefined when
   * it must be read.
   */
  function findInMemory(
    caller: AccessClaims,
    kinds: readonly TransactionKind[],
    referenceId: string,
  ): TransactionRecord | undefined {
    const kept = store.findTransactionInMemory(caller.apiUserId, referenceId.toLowerCase());
    return kept !== undefined && kinds.includes(kept.kind) ? kept : undefined;
  }

  /** The caller's own transaction of one of `kinds`; another API user's is as unknown as a missing one. */
  async function find(
    caller: AccessClaims,
    kinds: readonly TransactionKind[],
    referenceId: string,
  ): Promise<TransactionRecord | undefined> {
    const transaction = await store.transactions.findByReference(caller.apiUserId, referenceId.toLowerCase());
    return transaction !== undefined && kinds.includes(transaction.kind) ? transaction : undefined;
  }

  /**
   * Ends the caller's transaction of `kind` CANCELLED when `cancellable` allows it. Only a transaction that was
   * still PENDING gets a callback: its first final status. A cancelled transaction reads FAILED on the wire.
   */
  async function cancel(
    caller: AccessClaims,
    kind: TransactionKind,
    referenceId: string,
    rule: {
      cancellable: (transaction: TransactionRecord, nowMs: number) => boolean;
      refusal: string;
    },
  ): Promise<{ kind: 'cancelled' } | MomoFailure> {
    const found = await find(caller, [kind], referenceId);
    if (found === undefined) {
      return momoFailure('RESOURCE_NOT_FOUND');
    }
    let notifies = false;
    const outcome = await store.transaction(async (tx): Promise<{ kind: 'cancelled' } | MomoFailure> => {
      const locked = await tx.transactions.lockById(found.id);
      const nowMs = clock.nowMs();
      if (locked === undefined || !rule.cancellable(locked, nowMs)) {
        return momoFailure('NOT_ALLOWED', rule.refusal);
      }
      await tx.transactions.resolve(locked.id, {
        status: 'CANCELLED',
        reason: null,
        financialTransactionId: locked.financialTransactionId,
        atMs: nowMs,
      });
      await tx.transactions.insertEvent({
        transactionId: locked.id,
        status: 'CANCELLED',
        reason: null,
        detail: 'cancelled by the partner',
        atMs: nowMs,
      });
      const callbackUrl = locked.status === 'PENDING' ? locked.callbackUrl : null;
      notifies = callbackUrl !== null;
      if (callbackUrl !== null) {
        const cancelled: TransactionRecord = {
          ...locked,
          status: 'CANCELLED',
          decideAtMs: null,
          awaitingPayer: false,
          updatedAtMs: nowMs,
        };
        await enqueueCallback(tx, config, {
          transactionId: locked.id,
          url: callbackUrl,
          targetEnvironment: locked.targetEnvironment,
          body: presentTransaction(cancelled, config.reasonFormat),
          nowMs,
        });
      }
      return { kind: 'cancelled' };
    });
    if (outcome.kind === 'cancelled') {
      context.events.publish({ type: 'transaction', transactionId: found.id, status: 'CANCELLED', kind });
      if (notifies) {
        signals.callbacksDue();
      }
    }
    return outcome;
  }

  return {
    create,
    find,
    findInMemory,
    present: (transaction: TransactionRecord) => presentTransaction(transaction, config.reasonFormat),

    /** DELETE /collection/v2_0/invoice/{referenceId}: a pending invoice ends CANCELLED. */
    cancelInvoice: (caller: AccessClaims, referenceId: string) =>
      cancel(caller, 'INVOICE', referenceId, {
        cancellable: (invoice) => invoice.status === 'PENDING',
        refusal: 'Only a PENDING invoice can be cancelled.',
      }),

    /**
     * DELETE /collection/v1_0/preapprovals/{preapprovalId} (and /collection/v2_0/preapproval/{referenceId}): a
     * pre-approval still waiting for the payer, or approved and not expired, ends CANCELLED; from then on the
     * payer is asked again (decision 0020).
     */
    cancelPreapproval: (caller: AccessClaims, referenceId: string) =>
      cancel(caller, 'PREAPPROVAL', referenceId, {
        cancellable: (preapproval, nowMs) =>
          preapproval.status === 'PENDING' ||
          (preapproval.status === 'SUCCESSFUL' &&
            preapproval.validUntilMs !== null &&
            preapproval.validUntilMs > nowMs),
        refusal: 'Only a PENDING pre-approval, or an approved one that has not expired, can be cancelled.',
      }),

    /** GET /collection/v1_0/preapprovals/{accountHolderIdType}/{accountHolderId}: the caller's active ones. */
    listActivePreapprovals: (caller: AccessClaims, payer: { partyIdType: PartyIdType; partyId: string }) =>
      store.transactions.listActivePreapprovals({
        apiUserId: caller.apiUserId,
        ...payer,
        nowMs: clock.nowMs(),
      }),

    /** POST …/requesttopay/{referenceId}/deliverynotification: a message to the payer of a completed payment. */
    async notifyDelivery(
      caller: AccessClaims,
      referenceId: string,
      message: string,
    ): Promise<{ kind: 'sent' } | MomoFailure> {
      const transaction = await find(caller, ['REQUEST_TO_PAY'], referenceId);
      if (transaction === undefined) {
        return momoFailure('RESOURCE_NOT_FOUND');
      }
      if (transaction.status !== 'SUCCESSFUL') {
        return momoFailure('NOT_SUCCESSFULLY_COMPLETED');
      }
      await store.transactions.insertEvent({
        transactionId: transaction.id,
        status: transaction.status,
        reason: null,
        detail: `delivery notification: ${message}`,
        atMs: clock.nowMs(),
      });
      return { kind: 'sent' };
    },
  };
}

export type TransactionService = ReturnType<typeof createTransactionService>;
