import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { ensureAccount } from '../services/accounts.js';
import { postTransfer } from '../services/ledger-posting.js';
import { openStore } from './open-store.js';
import { runStoreContract } from './store.contract.js';
import type { AccountRecord } from './store.js';

describe('Store on PostgreSQL', () => {
  runStoreContract({
    newDatabase: () => {
      const database = freshTestDatabase('postgres');
      return { databaseUrl: database.databaseUrl, postgresSchema: database.postgresSchema };
    },
  });

  it('reads transactions asked for while a read is under way together, in one query (decision 0031)', async () => {
    const database = freshTestDatabase('postgres');
    let reads = 0;
    const store = await openStore({
      databaseUrl: database.databaseUrl,
      postgresSchema: database.postgresSchema,
      onQuery: (query) => {
        if (query.sql.includes('"transactions"')) {
          reads++;
        }
      },
    });
    try {
      const referenceIds = Array.from({ length: 20 }, () => randomUUID());
      reads = 0;

      const read = await Promise.all(
        referenceIds.map((referenceId) => store.transactions.findByReference('no-such-user', referenceId)),
      );

      expect(read.every((transaction) => transaction === undefined)).toBe(true);
      // The first goes out alone, at once; the 19 asked for meanwhile go together in the next.
      expect(reads).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("moves a transaction's balances at its end, in account id order, so an account is locked only for the commit (decision 0033)", async () => {
    const database = freshTestDatabase('postgres');
    const statements: string[] = [];
    const incremented: unknown[] = [];
    const store = await openStore({
      databaseUrl: database.databaseUrl,
      postgresSchema: database.postgresSchema,
      onQuery: (query) => {
        statements.push(query.sql);
        if (query.sql.startsWith('update "accounts"')) {
          incremented.push(query.parameters.at(-1));
        }
      },
    });
    try {
      const open = (ownerId: string, openingMinor: bigint) =>
        store.transaction((tx) =>
          ensureAccount(tx, { ownerType: 'ACCOUNT_HOLDER', ownerId, product: '' }, 'EUR', {
            openingMinor,
            nowMs: 0,
          }),
        );
      const payer = await open('payer', 500n);
      const payee = await open('payee', 0n);
      statements.length = 0;
      incremented.length = 0;

      await store.transaction(async (tx) => {
        await postTransfer(tx, {
          transferKey: 'late-balances',
          debitAccountId: payer.id,
          creditAccountId: payee.id,
          amountMinor: 200n,
          currency: 'EUR',
          transactionId: null,
          nowMs: 0,
        });
        await tx.partners.insert({ id: randomUUID(), name: 'written after the posting', createdAtMs: 0 });
      });

      const balanceUpdates = statements.filter((text) => text.startsWith('update "accounts"'));
      expect(balanceUpdates).toHaveLength(2);
      // The two increments, then the commit: nothing runs while the accounts are locked.
      expect(statements.slice(-3, -1)).toEqual(balanceUpdates);
      expect(statements.at(-1)).toBe('commit');
      expect(incremented).toEqual([payer.id, payee.id].sort());
      expect((await store.accounts.findById(payer.id))?.balanceMinor).toBe(300n);
      expect((await store.accounts.findById(payee.id))?.balanceMinor).toBe(200n);
    } finally {
      await store.close();
    }
  });

  it('shows accounts read at once in a transaction every increment held before the reads (decision 0033)', async () => {
    const database = freshTestDatabase('postgres');
    const store = await openStore({
      databaseUrl: database.databaseUrl,
      postgresSchema: database.postgresSchema,
    });
    try {
      const [first, second] = await store.transaction(async (tx) =>
        Promise.all(
          ['first', 'second'].map((ownerId) =>
            ensureAccount(tx, { ownerType: 'ACCOUNT_HOLDER', ownerId, product: '' }, 'EUR', {
              openingMinor: 0n,
              nowMs: 0,
            }),
          ),
        ),
      );
      const [lower, higher] = [first, second].sort((a, b) => ((a?.id ?? '') < (b?.id ?? '') ? -1 : 1)) as [
        AccountRecord,
        AccountRecord,
      ];

      const balances = await store.transaction(async (tx) => {
        await tx.accounts.addToBalance(lower.id, 7n);
        await tx.accounts.addToBalance(higher.id, 9n);
        const read = await Promise.all([tx.accounts.findById(lower.id), tx.accounts.findById(higher.id)]);
        return read.map((account) => account?.balanceMinor);
      });

      expect(balances).toEqual([7n, 9n]);
    } finally {
      await store.close();
    }
  });
});
