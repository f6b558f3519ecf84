/**
 * The storage port: the records and operations the services need, nothing more. One Kysely implementation
 * serves SQLite and PostgreSQL (kysely-store.ts); `store.contract.ts` is the behaviour both must show.
 */
import type { PartyIdType, Product, TransactionStatus } from '@openmomo/contract';
import type { TransactionKind } from '../domain/payments/transaction-kinds.js';

export interface PartnerRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAtMs: number;
}

export type SubscriptionKeyOrigin = 'SANDBOX_ENROLLED' | 'OPERATOR';

export interface SubscriptionKeyRecord {
  readonly keyHash: string;
  readonly partnerId: string;
  readonly product: Product | null;
  readonly origin: SubscriptionKeyOrigin;
  readonly createdAtMs: number;
  /** When an operator revoked the key; null while it works. */
  readonly revokedAtMs: number | null;
}

export interface ApiUserRecord {
  readonly id: string;
  readonly partnerId: string;
  readonly providerCallbackHost: string;
  readonly targetEnvironment: string;
  readonly createdAtMs: number;
  /** When an operator revoked the API user (its keys and tokens); null while it works. */
  readonly revokedAtMs: number | null;
}

export type AccountHolderStatus = 'ACTIVE' | 'BLOCKED';
export type ApprovalMode = 'AUTO' | 'INTERACTIVE';

export interface AccountHolderRecord {
  readonly id: string;
  readonly partyIdType: PartyIdType;
  readonly partyId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly status: AccountHolderStatus;
  readonly approvalMode: ApprovalMode;
  readonly pinHash: string | null;
  readonly birthdate: string;
  readonly locale: string;
  readonly gender: string;
  readonly createdAtMs: number;
}

export type AccountOwnerType = 'ACCOUNT_HOLDER' | 'PARTNER' | 'SYSTEM';

export interface AccountRecord {
  readonly id: string;
  readonly ownerType: AccountOwnerType;
  readonly ownerId: string;
  /** '' for wallets and system accounts. */
  readonly product: string;
  readonly currency: string;
  readonly balanceMinor: bigint;
  readonly allowNegative: boolean;
  readonly createdAtMs: number;
}

export interface LedgerTransferRecord {
  readonly transferKey: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly transactionId: string | null;
  readonly createdAtMs: number;
}

export interface LedgerEntryRecord {
  readonly transferId: bigint;
  readonly accountId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

export type { TransactionKind };

/** Invoices can also end CANCELLED, by their partner's DELETE. */
export type StoredStatus = TransactionStatus | 'CANCELLED';

export interface TransactionRecord {
  readonly id: string;
  readonly apiUserId: string;
  readonly referenceId: string;
  readonly kind: TransactionKind;
  readonly product: Product;
  readonly targetEnvironment: string;
  readonly status: StoredStatus;
  readonly reason: string | null;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly externalId: string | null;
  readonly partyIdType: PartyIdType;
  readonly partyId: string;
  readonly payerMessage: string | null;
  readonly payeeNote: string | null;
  readonly callbackUrl: string | null;
  readonly financialTransactionId: string | null;
  readonly plannedOutcome: 'SUCCESSFUL' | 'FAILED';
  readonly plannedReason: string | null;
  readonly decideAtMs: number | null;
  readonly awaitingPayer: boolean;
  /** The request body as received, for the audit trail and the dashboard. */
  readonly requestJson: string;
  readonly relatedTransactionId: string | null;
  readonly validUntilMs: number | null;
  /** An invoice's payee, as their profile named them when it was created; null for other kinds. */
  readonly payeeFirstName: string | null;
  readonly payeeLastName: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface TransactionFilter {
  readonly product?: string;
  readonly status?: StoredStatus;
  readonly apiUserId?: string;
  readonly partyId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly before?: ListCursor;
  readonly limit: number;
}

/**
 * Where a newest-first page ends: the next page holds what was created before `createdAtMs`, and, with `id`,
 * what was created in that same millisecond with a smaller id. Without `id`, rows of that millisecond are skipped.
 */
export interface ListCursor {
  readonly createdAtMs: number;
  readonly id?: string;
}

export interface TransactionResolution {
  readonly status: 'SUCCESSFUL' | 'FAILED' | 'CANCELLED';
  readonly reason: string | null;
  readonly financialTransactionId: string | null;
  /** Set when the resolution starts a validity window (an approved pre-approval); otherwise kept. */
  readonly validUntilMs?: number;
  readonly atMs: number;
}

export interface TransactionEventRecord {
  readonly transactionId: string;
  readonly status: StoredStatus;
  readonly reason: string | null;
  readonly detail: string | null;
  readonly atMs: number;
}

export type OutboxState = 'PENDING' | 'DELIVERED' | 'DEAD';

export interface OutboxRecord {
  readonly id: string;
  readonly transactionId: string;
  readonly url: string;
  readonly method: string;
  readonly bodyJson: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAtMs: number;
  readonly leaseOwner: string | null;
  readonly leaseUntilMs: number | null;
  readonly lastError: string | null;
  readonly createdAtMs: number;
  readonly deliveredAtMs: number | null;
}

export interface CallbackAttemptRecord {
  readonly outboxId: string;
  readonly attempt: number;
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly responseStatus: number | null;
  readonly error: string | null;
}

export interface OutboxAttemptResult {
  readonly outboxId: string;
  readonly leaseOwner: string;
  readonly attempt: CallbackAttemptRecord;
  /** DELIVERED, DEAD, or PENDING again at `nextAttemptAtMs`. */
  readonly nextState: OutboxState;
  readonly nextAttemptAtMs: number;
}

/** Every operation, bound either to the database or to one open transaction. */
export interface Repositories {
  readonly partners: {
    insert(partner: PartnerRecord): Promise<void>;
    findById(id: string): Promise<PartnerRecord | undefined>;
    findByIds(ids: readonly string[]): Promise<PartnerRecord[]>;
  };
  readonly subscriptionKeys: {
    findByHash(keyHash: string): Promise<SubscriptionKeyRecord | undefined>;
    /** False when the key exists already. */
    insertIfAbsent(key: Omit<SubscriptionKeyRecord, 'revokedAtMs'>): Promise<boolean>;
    /** Binds an unbound key to a product; no effect on a bound key. */
    bindProduct(keyHash: string, product: Product): Promise<void>;
    /** Revokes the key, keeping the time of its first revocation; undefined when there is no such key. */
    revoke(keyHash: string, nowMs: number): Promise<SubscriptionKeyRecord | undefined>;
    listRevokedHashes(): Promise<string[]>;
  };
  readonly apiUsers: {
    insertIfAbsent(apiUser: Omit<ApiUserRecord, 'revokedAtMs'>): Promise<boolean>;
    findById(id: string): Promise<ApiUserRecord | undefined>;
    listAll(limit: number): Promise<ApiUserRecord[]>;
    /** Revokes the API user, keeping the time of its first revocation; undefined when there is no such user. */
    revoke(id: string, nowMs: number): Promise<ApiUserRecord | undefined>;
    listRevokedIds(): Promise<string[]>;
  };
  readonly apiKeys: {
    insert(apiUserId: string, keyHash: string, createdAtMs: number): Promise<void>;
    exists(apiUserId: string, keyHash: string): Promise<boolean>;
  };
  readonly accountHolders: {
    findByParty(partyIdType: PartyIdType, partyId: string): Promise<AccountHolderRecord | undefined>;
    /** The holder behind the party, and whether it has a wallet in `currency`: one query, where a create needs both. */
    findWithWallet(
      partyIdType: PartyIdType,
      partyId: string,
      currency: string,
    ): Promise<{ holder: AccountHolderRecord; hasWallet: boolean } | undefined>;
    listAll(limit: number): Promise<AccountHolderRecord[]>;
    findByIds(ids: readonly string[]): Promise<AccountHolderRecord[]>;
    insertIfAbsent(accountHolder: AccountHolderRecord): Promise<boolean>;
    update(
      id: string,
      patch: Partial<
        Pick<
          AccountHolderRecord,
          | 'status'
          | 'approvalMode'
          | 'pinHash'
          | 'givenName'
          | 'familyName'
          | 'birthdate'
          | 'locale'
          | 'gender'
        >
      >,
    ): Promise<void>;
  };
  readonly accounts: {
    findByOwner(
      ownerType: AccountOwnerType,
      ownerId: string,
      product: string,
      currency: string,
    ): Promise<AccountRecord | undefined>;
    insertIfAbsent(account: AccountRecord): Promise<boolean>;
    findById(id: string): Promise<AccountRecord | undefined>;
    /** Reads the accounts and, on engines with row locks, locks them in id order until the transaction ends. */
    lockByIds(ids: readonly string[]): Promise<AccountRecord[]>;
    addToBalance(id: string, deltaMinor: bigint): Promise<void>;
    /** The `limit` newest accounts, newest first. */
    listNewest(limit: number): Promise<AccountRecord[]>;
  };
  readonly ledger: {
    /** Null when a transfer with this key was posted already. */
    insertTransfer(transfer: LedgerTransferRecord): Promise<bigint | null>;
    insertEntries(entries: readonly LedgerEntryRecord[]): Promise<void>;
    /** The account's `limit` newest entries, newest first. */
    listNewestEntries(accountId: string, limit: number): Promise<LedgerEntryRecord[]>;
    listTransfersOfTransaction(
      transactionId: string,
    ): Promise<(LedgerTransferRecord & { readonly id: bigint })[]>;
  };
  readonly transactions: {
    insertIfAbsent(transaction: TransactionRecord): Promise<boolean>;
    findByReference(apiUserId: string, referenceId: string): Promise<TransactionRecord | undefined>;
    findById(id: string): Promise<TransactionRecord | undefined>;
    /** The transactions with these ids, in no particular order; unknown ids are left out. */
    findByIds(ids: readonly string[]): Promise<TransactionRecord[]>;
    /**
     * A transaction of one of `kinds` of any API user of the caller's partner, in the caller's target environment
     * (refunds name the payment they return): the caller's own where two API users used the same X-Reference-Id.
     */
    findByPartnerReference(
      caller: { partnerId: string; apiUserId: string; targetEnvironment: string },
      referenceId: string,
      kinds: readonly TransactionKind[],
    ): Promise<TransactionRecord | undefined>;
    /** Whether the payer holds a pre-approval for this partner in this currency, approved and not expired. */
    hasActivePreapproval(input: {
      partnerId: string;
      partyIdType: PartyIdType;
      partyId: string;
      currency: string;
      nowMs: number;
    }): Promise<boolean>;
    /** The API user's pre-approvals from this payer that are approved and not expired, oldest first. */
    listActivePreapprovals(input: {
      apiUserId: string;
      partyIdType: PartyIdType;
      partyId: string;
      nowMs: number;
    }): Promise<TransactionRecord[]>;
    /** Σ of a payment's refunds that succeeded, and with `includePending` those still pending too. */
    sumRefundedMinor(originalTransactionId: string, options: { includePending: boolean }): Promise<bigint>;
    /** Reads a transaction and, on engines with row locks, locks it until the transaction ends. */
    lockById(id: string): Promise<TransactionRecord | undefined>;
    /** The newest first, filtered, at most `limit`; `before` pages back. */
    list(filter: TransactionFilter): Promise<TransactionRecord[]>;
    /**
     * Creation time, status and last change of every transaction since `sinceMs` but those of `excludedKinds`,
     * oldest first (for charts).
     */
    listSince(
      sinceMs: number,
      excludedKinds: readonly TransactionKind[],
      limit: number,
    ): Promise<{ createdAtMs: number; updatedAtMs: number; status: StoredStatus; product: string }[]>;
    listDueIds(nowMs: number, limit: number): Promise<string[]>;
    /**
     * Moves a PENDING transaction's decision to `decideAtMs` (a decision that failed is tried again later). Its
     * deadline has passed, so its payer can no longer answer it: it stops awaiting the payer.
     */
    postponeDecision(id: string, decideAtMs: number): Promise<void>;
    listAwaitingPayer(partyIdType: PartyIdType, partyId: string): Promise<TransactionRecord[]>;
    resolve(id: string, resolution: TransactionResolution): Promise<void>;
    insertEvent(event: TransactionEventRecord): Promise<void>;
    listEvents(transactionId: string): Promise<TransactionEventRecord[]>;
  };
  readonly outbox: {
    insert(record: OutboxRecord): Promise<void>;
    /** Leases up to `limit` due callbacks to `leaseOwner`; a leased row is invisible to other workers. */
    claimDue(options: {
      leaseOwner: string;
      nowMs: number;
      leaseUntilMs: number;
      limit: number;
    }): Promise<OutboxRecord[]>;
    /**
     * Records an attempt and moves the row on, if `leaseOwner` still holds it; false if it lost the lease.
     * Two writes: call it inside `Store.transaction`.
     */
    recordAttempt(result: OutboxAttemptResult): Promise<boolean>;
    findById(id: string): Promise<OutboxRecord | undefined>;
    listByTransaction(transactionId: string): Promise<OutboxRecord[]>;
    /** The newest callbacks first, optionally of one state; `before` pages back. */
    list(options: { state?: OutboxState; before?: ListCursor; limit: number }): Promise<OutboxRecord[]>;
    /** Makes a callback due again now (a replay); false when no such callback exists. */
    requeue(id: string, nowMs: number): Promise<boolean>;
    /** The attempts of these callbacks, each callback's in the order they were made. */
    listAttempts(outboxIds: readonly string[]): Promise<CallbackAttemptRecord[]>;
    /**
     * Deletes up to `limit` delivered or given-up callbacks whose last attempt was before `beforeMs`, with
     * their attempts (retention); returns how many. Several writes: call it inside `Store.transaction`.
     */
    deleteFinishedBefore(beforeMs: number, limit: number): Promise<number>;
    /** Every attempt since `sinceMs`, oldest first (callback latency chart). */
    listAttemptsSince(sinceMs: number, limit: number): Promise<CallbackAttemptRecord[]>;
    nextDueAtMs(): Promise<number | null>;
  };
  readonly secrets: {
    find(name: string): Promise<string | undefined>;
    insertIfAbsent(name: string, value: string): Promise<boolean>;
  };
  readonly authFailures: {
    /**
     * Counts one more failure of `clientAddress` in its current window, or starts a window of `windowMs` when
     * it has none or it ended; answers the count and window end every server now sees. One atomic statement.
     */
    record(clientAddress: string, nowMs: number, windowMs: number): Promise<AuthFailureWindow>;
    /** Forgets windows that ended before `nowMs`. */
    deleteEnded(nowMs: number): Promise<void>;
  };
}

export interface AuthFailureWindow {
  readonly failures: number;
  readonly windowEndsAtMs: number;
}

export type StoreDialectName = 'sqlite' | 'postgres';

/** The ledger's sums, all read from one snapshot; in a sound ledger every sum is zero and every list empty. */
export interface LedgerAuditFigures {
  readonly entrySumsByCurrency: Map<string, bigint>;
  readonly balanceSumsByCurrency: Map<string, bigint>;
  /** Transfers whose entries do not sum to zero. */
  readonly unbalancedTransferIds: bigint[];
  readonly accountsWhoseBalanceDisagreesWithEntries: string[];
  readonly negativeAccountsThatForbidIt: string[];
}

/**
 * Messages between the servers on one database (PostgreSQL's LISTEN/NOTIFY): what changed, so that each server's
 * live views hear of changes made through the others. Best effort: a message sent while a listener is
 * reconnecting is lost to it.
 */
export interface ChangeFeed {
  /** Sends `payload` (at most 8,000 bytes) to every server listening on this database and schema. */
  notify(payload: string): Promise<void>;
  /**
   * Calls `onPayload` for every message, reconnecting as needed, until the returned stop. Resolves once the
   * first connection is listening (or failed, and will be tried again).
   */
  listen(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface Store extends Repositories {
  readonly dialect: StoreDialectName;
  /** Present where several servers can share the database (PostgreSQL). */
  readonly changeFeed?: ChangeFeed;
  /**
   * `transactions.findByReference` answered without a query, when the store holds the current record in memory
   * (transaction-cache.ts); undefined means it must be read. Lets a status read be answered without a promise.
   */
  findTransactionInMemory(apiUserId: string, referenceId: string): TransactionRecord | undefined;
  /**
   * Runs `work` in one database transaction: all of its writes commit together or not at all. A transaction
   * the engine aborts for a deadlock or a serialization conflict is run again, so `work` must only read and
   * write through `tx` (and be safe to repeat). On SQLite concurrent calls share one commit (group-commit.ts):
   * a `work` that calls the store outside `tx`, starts another transaction, or never settles would wait for
   * itself and hold up every call after it.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Undefined when every commit so far is on disk; otherwise resolves once they are (rejecting, 503, when the
   * disk fails). A transaction's promise resolves only once it is durable, but a read, or a write outside a
   * transaction, may see or make a commit not flushed yet (SQLite flushes off the event loop, decision 0027):
   * whatever leaves the server — an answer, a callback, a live event — waits for this first.
   */
  untilDurable(): Promise<void> | undefined;
  /**
   * Reads every sum of the ledger audit from one snapshot, so postings that commit meanwhile cannot make a
   * sound ledger look unbalanced (accounts read before a posting, entries after it).
   */
  auditLedger(): Promise<LedgerAuditFigures>;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  /** True for errors that mean the database is unreachable or refusing work, rather than a bug. */
  isUnavailableError(error: unknown): boolean;
  close(): Promise<void>;
}
