/**
 * The operator's side of the platform: account holders (create, block, PIN, approval mode), funding of
 * wallets and partner accounts, the payer's answer to a pending request, and the ledger audit.
 */
import { randomUUID } from 'node:crypto';
import { CURRENCY_MINOR_UNITS, isCurrency, type PartyIdType, type Product } from '@openmomo/contract';
import { formatAmount, parseAmount } from '../domain/money/amount.js';
import { canonicalPartyId, describePartyIdProblem } from '../domain/parties/party-id.js';
import { KINDS_MOVING_NO_MONEY } from '../domain/payments/transaction-kinds.js';
import type {
  AccountHolderRecord,
  AccountHolderStatus,
  AccountRecord,
  ApprovalMode,
  CallbackAttemptRecord,
  ListCursor,
  OutboxRecord,
  OutboxState,
  TransactionFilter,
  TransactionRecord,
} from '../storage/store.js';
import { type AccountOwner, ensureAccount, fundFromFloat } from './accounts.js';
import type { ServiceContext } from './context.js';
import { type MomoFailure, momoFailure } from './outcomes.js';
import { hashPin, verifyPin } from './secrets.js';
import { type SettlementService, WRONG_PIN_LIMIT } from './settlement-service.js';

const PIN_PATTERN = /^\d{4,6}$/;
/** Charts read at most this many rows per series: a sandbox dashboard, not an analytics engine. */
const STATS_ROWS_MAX = 20_000;

export interface PartyRef {
  readonly partyIdType: PartyIdType;
  readonly partyId: string;
}

export interface AccountHolderInput extends PartyRef {
  readonly givenName?: string;
  readonly familyName?: string;
  readonly status?: AccountHolderStatus;
  readonly approvalMode?: ApprovalMode;
  readonly pin?: string;
  readonly birthdate?: string;
  readonly locale?: string;
  readonly gender?: string;
}

export interface LedgerAudit {
  /** Σ of all entries per currency; every value must be "0". */
  readonly entrySumsByCurrency: Record<string, string>;
  /** Σ of all account balances per currency; every value must be "0". */
  readonly balanceSumsByCurrency: Record<string, string>;
  readonly unbalancedTransferIds: string[];
  readonly accountsWhoseBalanceDisagreesWithEntries: string[];
  readonly negativeAccountsThatForbidIt: string[];
  readonly balanced: boolean;
}

export type PayerAnswerOutcome =
  | { readonly kind: 'answered'; readonly transaction: TransactionRecord }
  | MomoFailure;

function canonicalParty(party: PartyRef): PartyRef | MomoFailure {
  const problem = describePartyIdProblem(party.partyIdType, party.partyId);
  return problem === null
    ? { ...party, partyId: canonicalPartyId(party.partyIdType, party.partyId) }
    : momoFailure('BAD_REQUEST', problem);
}

function parseMoney(
  amount: string,
  currency: string,
): { amountMinor: bigint; currency: string } | MomoFailure {
  if (!isCurrency(currency)) {
    return momoFailure('INVALID_CURRENCY');
  }
  const parsed = parseAmount(amount, CURRENCY_MINOR_UNITS[currency]);
  return parsed.kind === 'valid'
    ? { amountMinor: parsed.amountMinor, currency }
    : momoFailure('BAD_REQUEST', parsed.problem);
}

export function createOperatorService(context: ServiceContext, settlement: SettlementService) {
  const { store, clock } = context;

  async function findHolder(party: PartyRef): Promise<AccountHolderRecord | MomoFailure> {
    const canonical = canonicalParty(party);
    if ('kind' in canonical) {
      return canonical;
    }
    const holder = await store.accountHolders.findByParty(canonical.partyIdType, canonical.partyId);
    return holder ?? momoFailure('RESOURCE_NOT_FOUND', 'No account holder has this party id.');
  }

  async function fund(owner: AccountOwner, amount: string, currency: string) {
    const money = parseMoney(amount, currency);
    if ('kind' in money) {
      return money;
    }
    const nowMs = clock.nowMs();
    return store.transaction(async (tx) => {
      const account = await ensureAccount(tx, owner, money.currency, { openingMinor: 0n, nowMs });
      const posting = await fundFromFloat(tx, account, money.amountMinor, { nowMs });
      if (posting.kind === 'rejected') {
        return momoFailure(
          'BAD_REQUEST',
          posting.reason === 'BALANCE_LIMIT'
            ? `Funding ${amount} ${money.currency} would take a balance past the ledger's limit of 10^18 minor units.`
            : `The ledger refused the funding (${posting.reason}).`,
        );
      }
      const funded = await tx.accounts.findByOwner(
        owner.ownerType,
        owner.ownerId,
        owner.product,
        money.currency,
      );
      const balanceMinor = funded?.balanceMinor ?? 0n;
      return {
        availableBalance: formatAmount(
          balanceMinor,
          CURRENCY_MINOR_UNITS[money.currency as keyof typeof CURRENCY_MINOR_UNITS],
        ),
        currency: money.currency,
      };
    });
  }

  /**
   * A ledger amount as MoMo writes amounts (`amount`, "0.01"), beside its minor units: the dashboard showed
   * `1 EUR` for one cent.
   */
  const withAmount = <T extends { amountMinor: bigint; currency: string }>(entry: T) => ({
    ...entry,
    amount: isCurrency(entry.currency)
      ? formatAmount(entry.amountMinor, CURRENCY_MINOR_UNITS[entry.currency])
      : entry.amountMinor.toString(),
  });

  /** A transaction with its request as received, status history, ledger postings and callback attempts. */
  async function detailOf(transaction: TransactionRecord) {
    const callbacks = await store.outbox.listByTransaction(transaction.id);
    return {
      transaction,
      events: await store.transactions.listEvents(transaction.id),
      transfers: (await store.ledger.listTransfersOfTransaction(transaction.id)).map(withAmount),
      callbacks: await withAttemptLogs(callbacks),
    };
  }

  /** Each callback with its attempts, all read in one query. */
  async function withAttemptLogs<C extends OutboxRecord>(callbacks: readonly C[]) {
    const attempts = await store.outbox.listAttempts(callbacks.map((callback) => callback.id));
    const logs = new Map<string, CallbackAttemptRecord[]>();
    for (const attempt of attempts) {
      const log = logs.get(attempt.outboxId);
      if (log === undefined) {
        logs.set(attempt.outboxId, [attempt]);
      } else {
        log.push(attempt);
      }
    }
    return callbacks.map((callback) => ({ ...callback, attemptLog: logs.get(callback.id) ?? [] }));
  }

  return {
    /**
     * The callback delivery log: newest first, each with its attempts, and the X-Reference-Id of its transaction,
     * by which the partner knows it.
     */
    async listCallbacks(options: { state?: OutboxState; before?: ListCursor; limit: number }) {
      const callbacks = await store.outbox.list(options);
      const transactions = await store.transactions.findByIds(
        callbacks.map((callback) => callback.transactionId),
      );
      const referenceIds = new Map(
        transactions.map((transaction) => [transaction.id, transaction.referenceId]),
      );
      return withAttemptLogs(
        callbacks.map((callback) => ({
          ...callback,
          referenceId: referenceIds.get(callback.transactionId) ?? null,
        })),
      );
    },

    /**
     * Sends a callback again (delivered or given up on): it is due now, and the attempts go on counting. One a
     * worker is sending at this moment is left to that delivery.
     */
    async replayCallback(id: string): Promise<{ kind: 'replayed' } | MomoFailure> {
      if (!(await store.outbox.requeue(id, clock.nowMs()))) {
        return momoFailure('RESOURCE_NOT_FOUND', 'No callback has this id.');
      }
      context.signals.callbacksDue();
      return { kind: 'replayed' };
    },

    /** Creates the account holder, or updates it when it exists (status, approval mode, PIN, names). */
    async upsertAccountHolder(input: AccountHolderInput): Promise<AccountHolderRecord | MomoFailure> {
      const party = canonicalParty(input);
      if ('kind' in party) {
        return party;
      }
      if (input.pin !== undefined && !PIN_PATTERN.test(input.pin)) {
        return momoFailure('BAD_REQUEST', 'pin must be 4 to 6 digits');
      }
      const pinHash = input.pin === undefined ? undefined : await hashPin(input.pin);
      return store.transaction(async (tx) => {
        await tx.accountHolders.insertIfAbsent({
          id: randomUUID(),
          ...party,
          givenName: input.givenName ?? 'Account',
          familyName: input.familyName ?? 'Holder',
          status: input.status ?? 'ACTIVE',
          approvalMode: input.approvalMode ?? 'AUTO',
          pinHash: pinHash ?? null,
          birthdate: input.birthdate ?? '',
          locale: input.locale ?? 'en',
          gender: input.gender ?? '',
          createdAtMs: clock.nowMs(),
        });
        const holder = await tx.accountHolders.findByParty(party.partyIdType, party.partyId);
        if (holder === undefined) {
          throw new Error('account holder vanished after insert');
        }
        await tx.accountHolders.update(holder.id, {
          ...(input.givenName === undefined ? {} : { givenName: input.givenName }),
          ...(input.familyName === undefined ? {} : { familyName: input.familyName }),
          ...(input.status === undefined ? {} : { status: input.status }),
          ...(input.approvalMode === undefined ? {} : { approvalMode: input.approvalMode }),
          ...(pinHash === undefined ? {} : { pinHash }),
          ...(input.birthdate === undefined ? {} : { birthdate: input.birthdate }),
          ...(input.locale === undefined ? {} : { locale: input.locale }),
          ...(input.gender === undefined ? {} : { gender: input.gender }),
        });
        return (await tx.accountHolders.findByParty(party.partyIdType, party.partyId)) ?? holder;
      });
    },

    findAccountHolder: findHolder,

    async fundAccountHolder(party: PartyRef, amount: string, currency: string) {
      const holder = await findHolder(party);
      return 'kind' in holder
        ? holder
        : fund({ ownerType: 'ACCOUNT_HOLDER', ownerId: holder.id, product: '' }, amount, currency);
    },

    async fundPartner(partnerId: string, product: Product, amount: string, currency: string) {
      if ((await store.partners.findById(partnerId)) === undefined) {
        return momoFailure('RESOURCE_NOT_FOUND', 'No partner has this id.');
      }
      return fund({ ownerType: 'PARTNER', ownerId: partnerId, product }, amount, currency);
    },

    /** Requests waiting for this payer's answer, oldest first. */
    async listAwaitingPayer(party: PartyRef): Promise<TransactionRecord[] | MomoFailure> {
      const canonical = canonicalParty(party);
      return 'kind' in canonical
        ? canonical
        : store.transactions.listAwaitingPayer(canonical.partyIdType, canonical.partyId);
    },

    /** The payer approves or rejects a pending request; a payer with a PIN must give it. */
    async answerAsPayer(
      transactionId: string,
      answer: 'APPROVE' | 'REJECT',
      pin: string | undefined,
    ): Promise<PayerAnswerOutcome> {
      const transaction = await store.transactions.findById(transactionId);
      if (transaction === undefined) {
        return momoFailure('RESOURCE_NOT_FOUND');
      }
      const payer = await store.accountHolders.findByParty(transaction.partyIdType, transaction.partyId);
      const wrongPin =
        answer === 'APPROVE' &&
        payer?.pinHash != null &&
        (pin === undefined || !(await verifyPin(pin, payer.pinHash)));
      const outcome = await settlement.decide(transactionId, {
        source: 'payer',
        answer: wrongPin ? 'WRONG_PIN' : answer,
      });
      switch (outcome.kind) {
        case 'wrong-pin':
          return momoFailure(
            'NOT_ALLOWED',
            `The PIN is wrong: ${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? 'try' : 'tries'} left.`,
          );
        case 'decided':
          if (outcome.answeredTooLate === true) {
            return momoFailure(
              'TRANSACTION_NOT_COMPLETED',
              `The request ran out of time before the payer answered: it has ${outcome.transaction.status}.`,
            );
          }
          return wrongPin
            ? momoFailure(
                'NOT_ALLOWED',
                `The PIN was wrong ${WRONG_PIN_LIMIT} times: the request has FAILED (APPROVAL_REJECTED).`,
              )
            : { kind: 'answered', transaction: outcome.transaction };
        case 'not-found':
          return momoFailure('RESOURCE_NOT_FOUND');
        default:
          return momoFailure(
            'TRANSACTION_NOT_COMPLETED',
            'The request is not waiting for the payer any more.',
          );
      }
    },

    /**
     * Everything known about one API user's transaction: its status history, postings and callbacks. Both ids
     * are matched in lower case, as they are stored, whatever case the client created them in.
     */
    async transactionDetail(apiUserId: string, referenceId: string) {
      const transaction = await store.transactions.findByReference(
        apiUserId.toLowerCase(),
        referenceId.toLowerCase(),
      );
      return transaction === undefined ? momoFailure('RESOURCE_NOT_FOUND') : detailOf(transaction);
    },

    async transactionDetailById(id: string) {
      const transaction = await store.transactions.findById(id);
      return transaction === undefined ? momoFailure('RESOURCE_NOT_FOUND') : detailOf(transaction);
    },

    listTransactions: (filter: TransactionFilter) =>
      store.transactions.list(
        filter.apiUserId === undefined ? filter : { ...filter, apiUserId: filter.apiUserId.toLowerCase() },
      ),

    /** The `limit` newest accounts with their owners' names; the sum check of their entries is in auditLedger. */
    async listAccounts(limit: number) {
      const accounts = await store.accounts.listNewest(limit);
      const idsOwnedBy = (ownerType: AccountRecord['ownerType']) => [
        ...new Set(
          accounts.filter((account) => account.ownerType === ownerType).map((account) => account.ownerId),
        ),
      ];
      const holders = await store.accountHolders.findByIds(idsOwnedBy('ACCOUNT_HOLDER'));
      const partners = await store.partners.findByIds(idsOwnedBy('PARTNER'));
      // Every sandbox partner has the same name: the start of its id tells them apart.
      const ownerNames = new Map([
        ...holders.map((holder) => [holder.id, `${holder.partyIdType} ${holder.partyId}`] as const),
        ...partners.map((partner) => [partner.id, `${partner.name} ${partner.id.slice(0, 8)}`] as const),
      ]);
      return accounts.map((account) => ({
        ...account,
        owner: ownerNames.get(account.ownerId) ?? account.ownerId,
        balance: formatAmount(
          account.balanceMinor,
          CURRENCY_MINOR_UNITS[account.currency as keyof typeof CURRENCY_MINOR_UNITS] ?? 0,
        ),
      }));
    },

    accountPostings: async (accountId: string, limit: number) =>
      (await store.ledger.listNewestEntries(accountId, limit)).map(withAmount),
    listApiUsers: (limit: number) => store.apiUsers.listAll(limit),
    listAccountHolders: (limit: number) => store.accountHolders.listAll(limit),

    /**
     * Charts: per time bucket since `sinceMs`, payments and payouts created and their success rate (pre-approvals
     * and consents move no money and are left out), and callback latency (median and worst of the attempts
     * started in the bucket).
     */
    async stats(sinceMs: number, bucketMs: number) {
      const [transactions, attempts] = await Promise.all([
        store.transactions.listSince(sinceMs, KINDS_MOVING_NO_MONEY, STATS_ROWS_MAX),
        store.outbox.listAttemptsSince(sinceMs, STATS_ROWS_MAX),
      ]);
      const buckets = new Map<
        number,
        { created: number; successful: number; failed: number; latenciesMs: number[] }
      >();
      const bucketOf = (atMs: number) => {
        const start = atMs - (atMs % bucketMs);
        let bucket = buckets.get(start);
        if (bucket === undefined) {
          bucket = { created: 0, successful: 0, failed: 0, latenciesMs: [] };
          buckets.set(start, bucket);
        }
        return bucket;
      };
      for (const transaction of transactions) {
        const bucket = bucketOf(transaction.createdAtMs);
        bucket.created++;
        bucket.successful += transaction.status === 'SUCCESSFUL' ? 1 : 0;
        bucket.failed += transaction.status === 'FAILED' ? 1 : 0;
      }
      for (const attempt of attempts) {
        bucketOf(attempt.startedAtMs).latenciesMs.push(attempt.durationMs);
      }
      return [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([startMs, bucket]) => {
          const sorted = [...bucket.latenciesMs].sort((a, b) => a - b);
          const decided = bucket.successful + bucket.failed;
          return {
            startMs,
            created: bucket.created,
            successRate: decided === 0 ? null : bucket.successful / decided,
            callbackLatencyMedianMs:
              sorted.length === 0 ? null : (sorted[Math.floor(sorted.length / 2)] ?? null),
            callbackLatencyMaxMs: sorted.at(-1) ?? null,
          };
        });
    },

    async auditLedger(): Promise<LedgerAudit> {
      const figures = await store.auditLedger();
      const toRecord = (sums: ReadonlyMap<string, bigint>) =>
        Object.fromEntries([...sums].map(([currency, sum]) => [currency, sum.toString()]));
      const allZero = (sums: ReadonlyMap<string, bigint>) => [...sums.values()].every((sum) => sum === 0n);
      return {
        entrySumsByCurrency: toRecord(figures.entrySumsByCurrency),
        balanceSumsByCurrency: toRecord(figures.balanceSumsByCurrency),
        unbalancedTransferIds: figures.unbalancedTransferIds.map(String),
        accountsWhoseBalanceDisagreesWithEntries: figures.accountsWhoseBalanceDisagreesWithEntries,
        negativeAccountsThatForbidIt: figures.negativeAccountsThatForbidIt,
        balanced:
          allZero(figures.entrySumsByCurrency) &&
          allZero(figures.balanceSumsByCurrency) &&
          figures.unbalancedTransferIds.length === 0 &&
          figures.accountsWhoseBalanceDisagreesWithEntries.length === 0 &&
          figures.negativeAccountsThatForbidIt.length === 0,
      };
    },
  };
}

export type OperatorService = ReturnType<typeof createOperatorService>;
