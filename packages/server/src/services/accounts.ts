/**
 * Opening and funding ledger accounts. Money only ever enters the ledger by a transfer from the currency's
 * system float account (the one account allowed below zero), so every balance is backed by entries and the
 * sum over all accounts stays zero.
 */
import { randomUUID } from 'node:crypto';
import { CURRENCY_MINOR_UNITS, isCurrency } from '@openmomo/contract';
import type { Config } from '../config.js';
import { parseAmount } from '../domain/money/amount.js';
import type { AccountOwnerType, AccountRecord, Repositories } from '../storage/store.js';
import { postTransferBetween } from './ledger-posting.js';

export const FLOAT_OWNER_ID = 'float';

export interface AccountOwner {
  readonly ownerType: AccountOwnerType;
  readonly ownerId: string;
  /** '' for wallets: a payer's wallet serves every product. */
  readonly product: string;
}

async function findOrOpen(
  tx: Repositories,
  owner: AccountOwner,
  currency: string,
  nowMs: number,
): Promise<{ account: AccountRecord; opened: boolean }> {
  const existing = await tx.accounts.findByOwner(owner.ownerType, owner.ownerId, owner.product, currency);
  if (existing !== undefined) {
    return { account: existing, opened: false };
  }
  const inserted = await tx.accounts.insertIfAbsent({
    id: randomUUID(),
    ...owner,
    currency,
    balanceMinor: 0n,
    allowNegative: owner.ownerType === 'SYSTEM',
    createdAtMs: nowMs,
  });
  // Read back rather than trust our id: a concurrent opener may have won the unique (owner, currency) race.
  const account = await tx.accounts.findByOwner(owner.ownerType, owner.ownerId, owner.product, currency);
  if (account === undefined) {
    throw new Error(`account of ${owner.ownerType} ${owner.ownerId} in ${currency} vanished after insert`);
  }
  return { account, opened: inserted };
}

/**
 * The account of `owner` in `currency`. If it does not exist it is opened, and funded with `openingMinor`:
 * an opening balance is credited only by the call that opened the account, never to an existing one.
 */
export async function ensureAccount(
  tx: Repositories,
  owner: AccountOwner,
  currency: string,
  options: { openingMinor: bigint; nowMs: number },
): Promise<AccountRecord> {
  const { account, opened } = await findOrOpen(tx, owner, currency, options.nowMs);
  if (opened && options.openingMinor > 0n) {
    // Keyed by account id as well: even a retried transaction credits the opening balance once.
    await fundFromFloat(tx, account, options.openingMinor, {
      transferKey: `opening:${account.id}`,
      nowMs: options.nowMs,
    });
  }
  return account;
}

/** Moves `amountMinor` from the system float into `account`. */
export async function fundFromFloat(
  tx: Repositories,
  account: AccountRecord,
  amountMinor: bigint,
  options: { transferKey?: string; nowMs: number },
) {
  const { account: float } = await findOrOpen(
    tx,
    { ownerType: 'SYSTEM', ownerId: FLOAT_OWNER_ID, product: '' },
    account.currency,
    options.nowMs,
  );
  return postTransferBetween(tx, float, account, {
    transferKey: options.transferKey ?? `funding:${randomUUID()}`,
    amountMinor,
    currency: account.currency,
    transactionId: null,
    nowMs: options.nowMs,
  });
}

/** The names a sandbox gives an account holder nobody registered. */
export const SANDBOX_HOLDER_NAMES = { givenName: 'Sandbox', familyName: 'User' } as const;

/** The balance a sandbox opens a new payer wallet or partner account with; nothing outside sandbox mode. */
export function sandboxOpeningMinor(
  config: Config,
  accountKind: 'wallet' | 'partner',
  currency: string,
): bigint {
  if (!config.sandboxMode || !isCurrency(currency)) {
    return 0n;
  }
  const setting =
    accountKind === 'wallet' ? config.sandboxWalletOpeningBalance : config.sandboxPartnerOpeningBalance;
  const parsed = parseAmount(setting, CURRENCY_MINOR_UNITS[currency]);
  return parsed.kind === 'valid' ? parsed.amountMinor : 0n;
}
