import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BALANCE_LIMIT_MINOR,
  InMemoryLedger,
  type LedgerAccount,
  sumBalancesByCurrency,
  type TransferRequest,
} from './ledger.js';

const ACCOUNT_IDS = [
  'float-EUR',
  'float-UGX',
  'wallet-a-EUR',
  'wallet-b-EUR',
  'wallet-a-UGX',
  'partner-EUR',
] as const;

function openLedger(): InMemoryLedger {
  const ledger = new InMemoryLedger();
  for (const id of ACCOUNT_IDS) {
    const currency = id.endsWith('UGX') ? 'UGX' : 'EUR';
    ledger.openAccount({ id, currency, balanceMinor: 0n, allowNegative: id.startsWith('float') });
  }
  return ledger;
}

const transferArbitrary: fc.Arbitrary<TransferRequest> = fc.record({
  transferKey: fc.string({ minLength: 1, maxLength: 3 }),
  debitAccountId: fc.constantFrom(...ACCOUNT_IDS),
  creditAccountId: fc.constantFrom(...ACCOUNT_IDS),
  amountMinor: fc.bigInt({ min: -10n, max: 5_000n }),
  currency: fc.constantFrom('EUR', 'UGX'),
});

describe('InMemoryLedger', () => {
  it('keeps the sum of all balances at zero per currency, whatever is posted', () => {
    fc.assert(
      fc.property(fc.array(transferArbitrary, { maxLength: 60 }), (transfers) => {
        const ledger = openLedger();
        for (const transfer of transfers) {
          ledger.post(transfer);
        }
        for (const sum of sumBalancesByCurrency(ledger.accounts()).values()) {
          expect(sum).toBe(0n);
        }
      }),
    );
  });

  it('never takes an account that forbids it below zero', () => {
    fc.assert(
      fc.property(fc.array(transferArbitrary, { maxLength: 60 }), (transfers) => {
        const ledger = openLedger();
        for (const transfer of transfers) {
          ledger.post(transfer);
          const negative = ledger
            .accounts()
            .filter((a: LedgerAccount) => !a.allowNegative && a.balanceMinor < 0n);
          expect(negative).toEqual([]);
        }
      }),
    );
  });

  it('applies a replayed transfer key once and reports the replay as a duplicate', () => {
    fc.assert(
      fc.property(fc.array(transferArbitrary, { maxLength: 30 }), (transfers) => {
        const ledger = openLedger();
        const firstOutcomes = transfers.map((transfer) => ledger.post(transfer));
        const balancesAfterFirstRun = ledger.accounts().map((a) => a.balanceMinor);
        for (const [index, transfer] of transfers.entries()) {
          const replay = ledger.post(transfer);
          if (firstOutcomes[index]?.kind === 'posted') {
            expect(replay).toEqual({ kind: 'duplicate' });
          }
        }
        const postedKeys = new Set(
          transfers.filter((_, i) => firstOutcomes[i]?.kind === 'posted').map((t) => t.transferKey),
        );
        // A replay can only change balances if its key was never posted (a rejected first attempt).
        if (transfers.every((t) => postedKeys.has(t.transferKey))) {
          expect(ledger.accounts().map((a) => a.balanceMinor)).toEqual(balancesAfterFirstRun);
        }
      }),
    );
  });

  it('refuses a transfer between accounts of another currency', () => {
    const ledger = openLedger();
    const outcome = ledger.post({
      transferKey: 'k',
      debitAccountId: 'float-UGX',
      creditAccountId: 'wallet-a-EUR',
      amountMinor: 10n,
      currency: 'EUR',
    });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'CURRENCY_MISMATCH' });
  });

  it('refuses to overdraw a wallet and leaves both balances untouched', () => {
    const ledger = openLedger();
    ledger.post({
      transferKey: 'fund',
      debitAccountId: 'float-EUR',
      creditAccountId: 'wallet-a-EUR',
      amountMinor: 100n,
      currency: 'EUR',
    });
    const outcome = ledger.post({
      transferKey: 'spend',
      debitAccountId: 'wallet-a-EUR',
      creditAccountId: 'partner-EUR',
      amountMinor: 101n,
      currency: 'EUR',
    });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'NOT_ENOUGH_FUNDS' });
    expect(ledger.balanceOf('wallet-a-EUR')).toBe(100n);
    expect(ledger.balanceOf('partner-EUR')).toBe(0n);
  });

  it('refuses a transfer that would take a balance past 10^18 minor units either way, and takes one up to it', () => {
    const ledger = openLedger();
    const fund = (transferKey: string, creditAccountId: string, amountMinor: bigint) =>
      ledger.post({
        transferKey,
        debitAccountId: 'float-EUR',
        creditAccountId,
        amountMinor,
        currency: 'EUR',
      });

    expect(fund('to-the-limit', 'wallet-a-EUR', BALANCE_LIMIT_MINOR)).toEqual({ kind: 'posted' });
    expect(fund('past-the-credit-limit', 'wallet-a-EUR', 1n)).toEqual({
      kind: 'rejected',
      reason: 'BALANCE_LIMIT',
    });
    // The float is at -10^18: it can issue nothing more, to any wallet.
    expect(fund('past-the-float-limit', 'wallet-b-EUR', 1n)).toEqual({
      kind: 'rejected',
      reason: 'BALANCE_LIMIT',
    });
    expect(ledger.balanceOf('float-EUR')).toBe(-BALANCE_LIMIT_MINOR);
    expect(ledger.balanceOf('wallet-b-EUR')).toBe(0n);
  });
});
