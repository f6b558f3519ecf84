/**
 * The double-entry ledger's rules, free of storage: a transfer moves an amount from one account to another
 * in one currency, as two entries that sum to zero. Storage applies these rules inside a database
 * transaction; `InMemoryLedger` applies them to a map and is the model the SQL ledger is tested against.
 */

export interface LedgerAccount {
  readonly id: string;
  readonly currency: string;
  readonly balanceMinor: bigint;
  /** Only system accounts (the issuance float) may go below zero; wallets and partner accounts may not. */
  readonly allowNegative: boolean;
}

export interface TransferRequest {
  /** Idempotency key: a transfer with a key already posted is never applied twice. */
  readonly transferKey: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

/**
 * No balance may pass ±10^18 minor units (10^16 of a currency with two decimals). Balances are 64-bit integers
 * in both databases (at most 9.2 × 10^18): past that, PostgreSQL refuses the write and SQLite silently turns the
 * balance into a rounded float. The margin also covers a credit judged by a balance read earlier in its
 * transaction, since credits are not locked.
 */
export const BALANCE_LIMIT_MINOR = 10n ** 18n;

export type TransferRejection =
  | 'NOT_ENOUGH_FUNDS'
  | 'BALANCE_LIMIT'
  | 'CURRENCY_MISMATCH'
  | 'SAME_ACCOUNT'
  | 'NON_POSITIVE_AMOUNT';

export type TransferCheck =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'rejected'; readonly reason: TransferRejection };

export interface LedgerEntry {
  readonly accountId: string;
  /** Signed: negative on the debited account, positive on the credited one. */
  readonly amountMinor: bigint;
}

/** Decides whether a transfer may be posted between these two accounts as they are now. */
export function checkTransfer(
  debit: LedgerAccount,
  credit: LedgerAccount,
  request: TransferRequest,
): TransferCheck {
  if (request.amountMinor <= 0n) {
    return { kind: 'rejected', reason: 'NON_POSITIVE_AMOUNT' };
  }
  if (debit.id === credit.id) {
    return { kind: 'rejected', reason: 'SAME_ACCOUNT' };
  }
  if (debit.currency !== request.currency || credit.currency !== request.currency) {
    return { kind: 'rejected', reason: 'CURRENCY_MISMATCH' };
  }
  if (!debit.allowNegative && debit.balanceMinor < request.amountMinor) {
    return { kind: 'rejected', reason: 'NOT_ENOUGH_FUNDS' };
  }
  if (
    credit.balanceMinor + request.amountMinor > BALANCE_LIMIT_MINOR ||
    debit.balanceMinor - request.amountMinor < -BALANCE_LIMIT_MINOR
  ) {
    return { kind: 'rejected', reason: 'BALANCE_LIMIT' };
  }
  return { kind: 'accepted' };
}

/** The two entries of a transfer; they always sum to zero. */
export function entriesOf(request: TransferRequest): readonly [LedgerEntry, LedgerEntry] {
  return [
    { accountId: request.debitAccountId, amountMinor: -request.amountMinor },
    { accountId: request.creditAccountId, amountMinor: request.amountMinor },
  ];
}

export type PostingOutcome =
  | { readonly kind: 'posted' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly reason: TransferRejection | 'UNKNOWN_ACCOUNT' };

/** A ledger held in memory: the reference model of the rules above. */
export class InMemoryLedger {
  readonly #accounts = new Map<string, LedgerAccount>();
  readonly #postedKeys = new Set<string>();

  openAccount(account: LedgerAccount): void {
    this.#accounts.set(account.id, account);
  }

  balanceOf(accountId: string): bigint | undefined {
    return this.#accounts.get(accountId)?.balanceMinor;
  }

  accounts(): readonly LedgerAccount[] {
    return [...this.#accounts.values()];
  }

  post(request: TransferRequest): PostingOutcome {
    if (this.#postedKeys.has(request.transferKey)) {
      return { kind: 'duplicate' };
    }
    const debit = this.#accounts.get(request.debitAccountId);
    const credit = this.#accounts.get(request.creditAccountId);
    if (debit === undefined || credit === undefined) {
      return { kind: 'rejected', reason: 'UNKNOWN_ACCOUNT' };
    }
    const check = checkTransfer(debit, credit, request);
    if (check.kind === 'rejected') {
      return check;
    }
    for (const entry of entriesOf(request)) {
      const account = this.#accounts.get(entry.accountId) as LedgerAccount;
      this.#accounts.set(entry.accountId, {
        ...account,
        balanceMinor: account.balanceMinor + entry.amountMinor,
      });
    }
    this.#postedKeys.add(request.transferKey);
    return { kind: 'posted' };
  }
}

/** Sum of balances per currency: zero in a closed double-entry ledger. */
export function sumBalancesByCurrency(accounts: readonly LedgerAccount[]): ReadonlyMap<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const account of accounts) {
    sums.set(account.currency, (sums.get(account.currency) ?? 0n) + account.balanceMinor);
  }
  return sums;
}
