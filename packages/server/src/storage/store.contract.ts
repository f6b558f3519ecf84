/**
 * The behaviour every Store must show, whatever engine is behind it. `sqlite.test.ts` and `postgres.test.ts`
 * run it against real databases; nothing here is mocked.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECORDED_AT_MS, seedApiUser, transactionRecord } from '../../test/support/records.js';
import { InMemoryLedger } from '../domain/ledger/ledger.js';
import { ensureAccount, fundFromFloat } from '../services/accounts.js';
import { postTransfer, postTransferBetween } from '../services/ledger-posting.js';
import { type OpenStoreOptions, openStore } from './open-store.js';
import type { AccountRecord, Repositories, Store, TransactionRecord } from './store.js';

export interface StoreContractOptions {
  /** Where a new, empty database is: each test opens a store on one (and sometimes a second store on it). */
  readonly newDatabase: () => OpenStoreOptions;
}

const NOW = RECORDED_AT_MS;

/** A sandbox request to pay of 10.50 EUR due now, with a callback URL. */
function transactionFor(apiUserId: string, referenceId: string): TransactionRecord {
  return transactionRecord({
    apiUserId,
    referenceId,
    amountMinor: 1050n,
    externalId: '42',
    callbackUrl: 'http://example.com/cb',
    decideAtMs: NOW,
    createdAtMs: NOW,
    updatedAtMs: NOW,
  });
}

async function openWallet(
  tx: Repositories,
  ownerId: string,
  currency: string,
  openingMinor: bigint,
): Promise<AccountRecord> {
  return ensureAccount(tx, { ownerType: 'ACCOUNT_HOLDER', ownerId, product: '' }, currency, {
    openingMinor,
    nowMs: NOW,
  });
}

/** `postTransfer` of `amountMinor` EUR from `debit` to `credit`, for no transaction. */
function postEur(
  tx: Repositories,
  transferKey: string,
  debit: AccountRecord,
  credit: AccountRecord,
  amountMinor: bigint,
) {
  return postTransfer(tx, {
    transferKey,
    debitAccountId: debit.id,
    creditAccountId: credit.id,
    amountMinor,
    currency: 'EUR',
    transactionId: null,
    nowMs: NOW,
  });
}

export function runStoreContract({ newDatabase }: StoreContractOptions): void {
  let database: OpenStoreOptions;
  let store: Store;

  beforeEach(async () => {
    database = newDatabase();
    store = await openStore(database);
  });
  afterEach(async () => {
    await store.close();
  });

  describe('migrations', () => {
    it('can run again on an up-to-date database without changing it', async () => {
      await expect(store.migrate()).resolves.toBeUndefined();
    });
  });

  describe('transaction', () => {
    it('writes nothing when the work throws', async () => {
      const partnerId = randomUUID();
      await expect(
        store.transaction(async (tx) => {
          await tx.partners.insert({ id: partnerId, name: 'rolled back', createdAtMs: NOW });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store.partners.findById(partnerId)).toBeUndefined();
    });

    it('resolves only once its commit is durable, leaving nothing to wait for', async () => {
      // Migrations and other writes outside a transaction may still be flushing.
      await store.untilDurable();

      await store.transaction((tx) =>
        tx.partners.insert({ id: randomUUID(), name: 'durable', createdAtMs: NOW }),
      );

      expect(store.untilDurable()).toBeUndefined();
    });

    it('reads back bigint amounts beyond 2^53 exactly', async () => {
      // Past 2^53, where a JavaScript number would round it, and within the ledger's limit of 10^18.
      const huge = 2n ** 59n + 7n;
      const account = await store.transaction(async (tx) => {
        const wallet = await openWallet(tx, 'holder', 'EUR', 0n);
        await fundFromFloat(tx, wallet, huge, { nowMs: NOW });
        return wallet;
      });
      const reread = await store.accounts.findByOwner('ACCOUNT_HOLDER', account.ownerId, '', 'EUR');
      expect(reread?.balanceMinor).toBe(huge);
    });
  });

  describe('lookups of many ids', () => {
    it('finds each partner asked for once, and runs one statement per power of two of ids, not one per count', async () => {
      const texts = new Set<string>();
      const observed = await openStore({ ...database, onQuery: (query) => texts.add(query.sql) });
      try {
        const ids = Array.from({ length: 20 }, () => randomUUID());
        for (const id of ids) {
          await observed.partners.insert({ id, name: `partner ${id}`, createdAtMs: NOW });
        }
        texts.clear();
        for (let count = 1; count <= ids.length; count++) {
          const asked = [...ids.slice(0, count), ids[0] as string];
          const found = await observed.partners.findByIds(asked);
          expect(found.map((partner) => partner.id).sort()).toEqual(ids.slice(0, count).sort());
        }
        // 1 to 20 ids: lists of 1, 2, 4, 8, 16 and 32.
        expect([...texts].filter((text) => text.includes('"partners"'))).toHaveLength(6);
      } finally {
        await observed.close();
      }
    });
  });

  describe('account holders', () => {
    it('finds a holder by party, saying whether it has a wallet in the currency asked for', async () => {
      const holder = {
        id: randomUUID(),
        partyIdType: 'MSISDN' as const,
        partyId: `2567${Date.now() % 100_000_000}`,
        givenName: 'Amina',
        familyName: 'Okello',
        status: 'ACTIVE' as const,
        approvalMode: 'AUTO' as const,
        pinHash: null,
        birthdate: '',
        locale: 'en',
        gender: '',
        createdAtMs: NOW,
      };
      await store.accountHolders.insertIfAbsent(holder);
      await store.transaction((tx) => openWallet(tx, holder.id, 'EUR', 0n));

      const inEur = await store.accountHolders.findWithWallet('MSISDN', holder.partyId, 'EUR');
      const inXof = await store.accountHolders.findWithWallet('MSISDN', holder.partyId, 'XOF');

      expect(inEur).toEqual({
        holder: await store.accountHolders.findByParty('MSISDN', holder.partyId),
        hasWallet: true,
      });
      expect(inXof?.hasWallet).toBe(false);
      expect(await store.accountHolders.findWithWallet('MSISDN', '256700000000000', 'EUR')).toBeUndefined();
    });
  });

  describe('revocation', () => {
    it('revokes an API user once, keeping the time of the first revocation, and lists only revoked ones', async () => {
      const revoked = await seedApiUser(store);
      const working = await seedApiUser(store);

      expect((await store.apiUsers.revoke(revoked, NOW + 1))?.revokedAtMs).toBe(NOW + 1);
      expect((await store.apiUsers.revoke(revoked, NOW + 2))?.revokedAtMs).toBe(NOW + 1);
      expect((await store.apiUsers.findById(working))?.revokedAtMs).toBeNull();
      expect(await store.apiUsers.listRevokedIds()).toEqual([revoked]);
      expect(await store.apiUsers.revoke(randomUUID(), NOW)).toBeUndefined();
    });

    it('revokes a subscription key once, keeping the time of the first revocation, and lists only revoked ones', async () => {
      const partnerId = randomUUID();
      await store.partners.insert({ id: partnerId, name: 'partner', createdAtMs: NOW });
      for (const keyHash of ['revoked', 'working']) {
        await store.subscriptionKeys.insertIfAbsent({
          keyHash,
          partnerId,
          product: 'collection',
          origin: 'OPERATOR',
          createdAtMs: NOW,
        });
      }

      expect((await store.subscriptionKeys.revoke('revoked', NOW + 1))?.revokedAtMs).toBe(NOW + 1);
      expect((await store.subscriptionKeys.revoke('revoked', NOW + 2))?.revokedAtMs).toBe(NOW + 1);
      expect((await store.subscriptionKeys.findByHash('working'))?.revokedAtMs).toBeNull();
      expect(await store.subscriptionKeys.listRevokedHashes()).toEqual(['revoked']);
      expect(await store.subscriptionKeys.revoke('absent', NOW)).toBeUndefined();
    });
  });

  describe('transactions', () => {
    it('refuses a second transaction with the same reference id for the same API user', async () => {
      const apiUserId = await seedApiUser(store);
      const referenceId = randomUUID();
      expect(await store.transactions.insertIfAbsent(transactionFor(apiUserId, referenceId))).toBe(true);
      expect(await store.transactions.insertIfAbsent(transactionFor(apiUserId, referenceId))).toBe(false);
    });

    it('lets two API users use the same reference id independently', async () => {
      const first = await seedApiUser(store);
      const second = await seedApiUser(store);
      const referenceId = randomUUID();
      await store.transactions.insertIfAbsent(transactionFor(first, referenceId));
      expect(await store.transactions.insertIfAbsent(transactionFor(second, referenceId))).toBe(true);
      expect((await store.transactions.findByReference(second, referenceId))?.apiUserId).toBe(second);
    });

    it('postpones a decision past its deadline, and no longer lists it for its payer to answer', async () => {
      const apiUserId = await seedApiUser(store);
      const transaction = { ...transactionFor(apiUserId, randomUUID()), awaitingPayer: true };
      await store.transactions.insertIfAbsent(transaction);

      await store.transactions.postponeDecision(transaction.id, NOW + 30_000);

      expect(await store.transactions.findById(transaction.id)).toMatchObject({
        status: 'PENDING',
        decideAtMs: NOW + 30_000,
        awaitingPayer: false,
      });
      expect(await store.transactions.listAwaitingPayer('MSISDN', transaction.partyId)).not.toContainEqual(
        expect.objectContaining({ id: transaction.id }),
      );
    });

    it('round-trips every field of a transaction', async () => {
      const apiUserId = await seedApiUser(store);
      const transaction = transactionFor(apiUserId, randomUUID());
      await store.transactions.insertIfAbsent(transaction);
      expect(await store.transactions.findById(transaction.id)).toEqual(transaction);
    });

    it('finds transactions by their ids, each once, leaving unknown ids out', async () => {
      const apiUserId = await seedApiUser(store);
      const [first, second] = [
        transactionFor(apiUserId, randomUUID()),
        transactionFor(apiUserId, randomUUID()),
      ];
      await store.transactions.insertIfAbsent(first);
      await store.transactions.insertIfAbsent(second);

      const found = await store.transactions.findByIds([second.id, first.id, second.id, randomUUID()]);

      expect(found.map((transaction) => transaction.id).sort()).toEqual([first.id, second.id].sort());
      expect(await store.transactions.findByIds([])).toEqual([]);
    });

    it('lists only pending transactions whose decision is due', async () => {
      const apiUserId = await seedApiUser(store);
      const due = transactionFor(apiUserId, randomUUID());
      const later = { ...transactionFor(apiUserId, randomUUID()), decideAtMs: NOW + 1000 };
      const never = { ...transactionFor(apiUserId, randomUUID()), decideAtMs: null };
      for (const t of [due, later, never]) {
        await store.transactions.insertIfAbsent(t);
      }
      expect(await store.transactions.listDueIds(NOW, 10)).toEqual([due.id]);
    });

    it('answers reads asked for at once each with its own transaction, and none for a key it does not hold', async () => {
      const apiUserId = await seedApiUser(store);
      const other = await seedApiUser(store);
      const transactions = Array.from({ length: 20 }, () => transactionFor(apiUserId, randomUUID()));
      for (const transaction of transactions) {
        await store.transactions.insertIfAbsent(transaction);
      }
      const asked = [
        ...transactions.map((transaction) => [apiUserId, transaction.referenceId] as const),
        [other, transactions[0]?.referenceId as string] as const,
        [apiUserId, randomUUID()] as const,
      ];

      const read = await Promise.all(
        asked.map(([user, referenceId]) => store.transactions.findByReference(user, referenceId)),
      );

      expect(read.map((transaction) => transaction?.id)).toEqual([
        ...transactions.map((transaction) => transaction.id),
        undefined,
        undefined,
      ]);
    });

    it('pages back through transactions created in the same millisecond, each listed once, newest first', async () => {
      const apiUserId = await seedApiUser(store);
      const created = [NOW, NOW + 1, NOW + 1, NOW + 1, NOW + 1, NOW + 2];
      const transactions = created.map((createdAtMs) => ({
        ...transactionFor(apiUserId, randomUUID()),
        createdAtMs,
      }));
      for (const transaction of transactions) {
        await store.transactions.insertIfAbsent(transaction);
      }
      const listed: TransactionRecord[] = [];
      let page = await store.transactions.list({ limit: 2 });
      // Bounded, so that a cursor that does not move fails the test instead of hanging it.
      for (let pages = 0; page.length > 0 && pages < transactions.length; pages++) {
        listed.push(...page);
        const last = page[page.length - 1] as TransactionRecord;
        page = await store.transactions.list({
          limit: 2,
          before: { createdAtMs: last.createdAtMs, id: last.id },
        });
      }
      const newestFirst = [...transactions].sort(
        (a, b) => b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      );
      expect(listed.map((t) => t.id)).toEqual(newestFirst.map((t) => t.id));
    });
  });

  describe('transactions answered from memory', () => {
    const resolveAs = (tx: Repositories, pending: TransactionRecord, status: 'SUCCESSFUL' | 'FAILED') =>
      tx.transactions.resolve(pending.id, { status, reason: null, financialTransactionId: null, atMs: NOW });

    it('answers a final transaction from memory once it has read it', async () => {
      const apiUserId = await seedApiUser(store);
      const successful = { ...transactionFor(apiUserId, randomUUID()), status: 'SUCCESSFUL' as const };
      await store.transactions.insertIfAbsent(successful);
      expect(store.findTransactionInMemory(apiUserId, successful.referenceId)).toBeUndefined();

      await store.transactions.findByReference(apiUserId, successful.referenceId);

      expect(store.findTransactionInMemory(apiUserId, successful.referenceId)).toEqual(successful);
    });

    it('reads the decision it made on a PENDING transaction it had read', async () => {
      const apiUserId = await seedApiUser(store);
      const pending = transactionFor(apiUserId, randomUUID());
      await store.transactions.insertIfAbsent(pending);
      await store.transactions.findByReference(apiUserId, pending.referenceId);

      await store.transaction((tx) => resolveAs(tx, pending, 'SUCCESSFUL'));

      expect(store.findTransactionInMemory(apiUserId, pending.referenceId)?.status).not.toBe('PENDING');
      expect((await store.transactions.findByReference(apiUserId, pending.referenceId))?.status).toBe(
        'SUCCESSFUL',
      );
    });

    it('reads a decision another store on the same database made on a PENDING transaction it had read', async () => {
      const apiUserId = await seedApiUser(store);
      const pending = transactionFor(apiUserId, randomUUID());
      await store.transactions.insertIfAbsent(pending);
      await store.transactions.findByReference(apiUserId, pending.referenceId);
      const other = await openStore(database);
      try {
        await other.transaction((tx) => resolveAs(tx, pending, 'FAILED'));
      } finally {
        await other.close();
      }
      // Another connection's commit is seen from the next turn of the event loop (transaction-cache.ts).
      await new Promise((resolve) => setImmediate(resolve));

      expect(store.findTransactionInMemory(apiUserId, pending.referenceId)).toBeUndefined();
      expect((await store.transactions.findByReference(apiUserId, pending.referenceId))?.status).toBe(
        'FAILED',
      );
    });

    it('reads the decision on a PENDING transaction whose read was under way as it was made', async () => {
      const apiUserId = await seedApiUser(store);
      const pending = transactionFor(apiUserId, randomUUID());
      await store.transactions.insertIfAbsent(pending);

      const readUnderWay = store.transactions.findByReference(apiUserId, pending.referenceId);
      await store.transaction((tx) => resolveAs(tx, pending, 'SUCCESSFUL'));
      await readUnderWay;

      expect(store.findTransactionInMemory(apiUserId, pending.referenceId)?.status).not.toBe('PENDING');
      expect((await store.transactions.findByReference(apiUserId, pending.referenceId))?.status).toBe(
        'SUCCESSFUL',
      );
    });

    it('keeps nothing it read inside a transaction that did not commit', async () => {
      const apiUserId = await seedApiUser(store);
      const successful = { ...transactionFor(apiUserId, randomUUID()), status: 'SUCCESSFUL' as const };
      await expect(
        store.transaction(async (tx) => {
          await tx.transactions.insertIfAbsent(successful);
          await tx.transactions.findByReference(apiUserId, successful.referenceId);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');

      expect(store.findTransactionInMemory(apiUserId, successful.referenceId)).toBeUndefined();
      expect(await store.transactions.findByReference(apiUserId, successful.referenceId)).toBeUndefined();
    });
  });

  describe('ledger', () => {
    it('posts a transfer as two entries and moves both balances', async () => {
      const outcome = await store.transaction(async (tx) => {
        const payer = await openWallet(tx, 'payer', 'EUR', 500n);
        const payee = await openWallet(tx, 'payee', 'EUR', 0n);
        return postEur(tx, 't1', payer, payee, 200n);
      });
      expect(outcome.kind).toBe('posted');
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'payer', '', 'EUR'))?.balanceMinor).toBe(
        300n,
      );
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'payee', '', 'EUR'))?.balanceMinor).toBe(
        200n,
      );
      const audit = await store.auditLedger();
      expect(audit.entrySumsByCurrency.get('EUR')).toBe(0n);
      expect(audit.unbalancedTransferIds).toEqual([]);
    });

    it('refuses a funding that would take a balance past 10^18 minor units, writing nothing of it', async () => {
      const outcomes = await store.transaction(async (tx) => {
        const wallet = await openWallet(tx, 'rich', 'EUR', 0n);
        return [
          await fundFromFloat(tx, wallet, 10n ** 18n, { nowMs: NOW }),
          await fundFromFloat(tx, wallet, 1n, { nowMs: NOW }),
        ];
      });
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['posted', 'rejected']);
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'rich', '', 'EUR'))?.balanceMinor).toBe(
        10n ** 18n,
      );
      expect((await store.auditLedger()).entrySumsByCurrency.get('EUR')).toBe(0n);
    });

    it('credits an opening balance only to the account the call opened, never to an existing one', async () => {
      await store.transaction((tx) => openWallet(tx, 'holder', 'EUR', 0n));
      await store.transaction((tx) => openWallet(tx, 'holder', 'EUR', 500n));
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'holder', '', 'EUR'))?.balanceMinor).toBe(
        0n,
      );
    });

    it('applies a transfer key once, however often it is posted', async () => {
      const post = () =>
        store.transaction(async (tx) => {
          const payer = await openWallet(tx, 'payer', 'EUR', 500n);
          const payee = await openWallet(tx, 'payee', 'EUR', 0n);
          return postEur(tx, 'same-key', payer, payee, 100n);
        });
      expect((await post()).kind).toBe('posted');
      expect(await post()).toEqual({ kind: 'duplicate' });
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'payer', '', 'EUR'))?.balanceMinor).toBe(
        400n,
      );
    });

    it('judges a debit read earlier by its balance now, not by the balance it was read with', async () => {
      const outcome = await store.transaction(async (tx) => {
        const opened = await openWallet(tx, 'payer', 'EUR', 100n);
        const payee = await openWallet(tx, 'payee', 'EUR', 0n);
        const payer = await tx.accounts.findById(opened.id);
        if (payer?.balanceMinor !== 100n) {
          throw new Error('the payer was not opened with 100');
        }
        const drained = await postEur(tx, 'drains-the-payer', payer, payee, 100n);
        expect(drained.kind).toBe('posted');
        // `payer` still says 100: a posting that trusted it would overdraw the wallet.
        return postTransferBetween(tx, payer, payee, {
          transferKey: 'from-a-stale-read',
          amountMinor: 100n,
          currency: 'EUR',
          transactionId: null,
          nowMs: NOW,
        });
      });
      expect(outcome).toEqual({ kind: 'rejected', reason: 'NOT_ENOUGH_FUNDS' });
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'payer', '', 'EUR'))?.balanceMinor).toBe(0n);
    });

    it('agrees with the in-memory ledger model on any sequence of transfers', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              debit: fc.integer({ min: 0, max: 3 }),
              credit: fc.integer({ min: 0, max: 3 }),
              amountMinor: fc.bigInt({ min: 1n, max: 400n }),
            }),
            { minLength: 1, maxLength: 25 },
          ),
          async (transfers) => {
            const runId = randomUUID();
            const model = new InMemoryLedger();
            const accounts = await store.transaction(async (tx) =>
              Promise.all([0, 1, 2, 3].map((i) => openWallet(tx, `${runId}-${i}`, 'UGX', 0n))),
            );
            await store.transaction(async (tx) => {
              const first = accounts[0] as AccountRecord;
              await fundFromFloat(tx, first, 1000n, { transferKey: `${runId}-fund`, nowMs: NOW });
            });
            for (const account of accounts) {
              model.openAccount({ ...account, balanceMinor: account === accounts[0] ? 1000n : 0n });
            }
            for (const [index, transfer] of transfers.entries()) {
              const request = {
                transferKey: `${runId}-${index}`,
                debitAccountId: (accounts[transfer.debit] as AccountRecord).id,
                creditAccountId: (accounts[transfer.credit] as AccountRecord).id,
                amountMinor: transfer.amountMinor,
                currency: 'UGX',
              };
              const stored = await store.transaction((tx) =>
                postTransfer(tx, { ...request, transactionId: null, nowMs: NOW }),
              );
              const modelled = model.post(request);
              expect(stored.kind).toBe(modelled.kind);
            }
            for (const account of accounts) {
              const reread = await store.accounts.findByOwner('ACCOUNT_HOLDER', account.ownerId, '', 'UGX');
              expect(reread?.balanceMinor).toBe(model.balanceOf(account.id));
            }
          },
        ),
        { numRuns: 15 },
      );
      const audit = await store.auditLedger();
      expect(audit.entrySumsByCurrency.get('UGX')).toBe(0n);
    });

    it('never overdraws a wallet under concurrent debits', async () => {
      const { payer, payee } = await store.transaction(async (tx) => ({
        payer: await openWallet(tx, 'payer', 'EUR', 1000n),
        payee: await openWallet(tx, 'payee', 'EUR', 0n),
      }));
      const attempts = Array.from({ length: 20 }, (_, i) =>
        store.transaction((tx) => postEur(tx, `concurrent-${i}`, payer, payee, 150n)),
      );
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter((o) => o.kind === 'posted')).toHaveLength(6);
      expect((await store.accounts.findByOwner('ACCOUNT_HOLDER', 'payer', '', 'EUR'))?.balanceMinor).toBe(
        100n,
      );
    });

    it('names in its audit an account whose balance was changed without a posting, and one overdrawn', async () => {
      const { payer, payee } = await store.transaction(async (tx) => ({
        payer: await openWallet(tx, 'payer', 'EUR', 1000n),
        payee: await openWallet(tx, 'payee', 'EUR', 0n),
      }));
      await store.accounts.addToBalance(payee.id, -5n);

      const audit = await store.auditLedger();
      expect(audit.accountsWhoseBalanceDisagreesWithEntries).toEqual([payee.id]);
      expect(audit.negativeAccountsThatForbidIt).toEqual([payee.id]);
      expect(audit.balanceSumsByCurrency.get('EUR')).toBe(-5n);
      expect(audit.entrySumsByCurrency.get('EUR')).toBe(0n);
      expect(audit.accountsWhoseBalanceDisagreesWithEntries).not.toContain(payer.id);
    });

    it('never reports a sound ledger as disagreeing while postings commit', async () => {
      const { payer, payee } = await store.transaction(async (tx) => ({
        payer: await openWallet(tx, 'payer', 'EUR', 1_000_000n),
        payee: await openWallet(tx, 'payee', 'EUR', 0n),
      }));
      let posting = true;
      const postings = (async () => {
        for (let round = 0; round < 40; round++) {
          await Promise.all(
            Array.from({ length: 5 }, (_, i) =>
              store.transaction((tx) => postEur(tx, `during-audit-${round}-${i}`, payer, payee, 1n)),
            ),
          );
        }
        posting = false;
      })();
      const disagreements: string[][] = [];
      while (posting) {
        disagreements.push((await store.auditLedger()).accountsWhoseBalanceDisagreesWithEntries);
        // SQLite answers without leaving the microtask queue; let the postings' group commits have a turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await postings;

      expect(disagreements.length).toBeGreaterThan(0);
      expect(disagreements.filter((ids) => ids.length > 0)).toEqual([]);
    });
  });

  describe('outbox', () => {
    async function seedOutbox(count: number): Promise<string[]> {
      const apiUserId = await seedApiUser(store);
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const transaction = transactionFor(apiUserId, randomUUID());
        await store.transactions.insertIfAbsent(transaction);
        const id = randomUUID();
        await store.outbox.insert({
          id,
          transactionId: transaction.id,
          url: 'http://example.com/cb',
          method: 'PUT',
          bodyJson: '{}',
          state: 'PENDING',
          attempts: 0,
          nextAttemptAtMs: NOW,
          leaseOwner: null,
          leaseUntilMs: null,
          lastError: null,
          createdAtMs: NOW,
          deliveredAtMs: null,
        });
        ids.push(id);
      }
      return ids;
    }

    it('pages back through callbacks created in the same millisecond, each listed once, newest first', async () => {
      const ids = await seedOutbox(5);
      const listed: string[] = [];
      let page = await store.outbox.list({ limit: 2 });
      for (let pages = 0; page.length > 0 && pages < ids.length; pages++) {
        listed.push(...page.map((callback) => callback.id));
        const last = page[page.length - 1] as (typeof page)[number];
        page = await store.outbox.list({ limit: 2, before: { createdAtMs: last.createdAtMs, id: last.id } });
      }
      expect(listed).toEqual([...ids].sort().reverse());
    });

    it('leases each due callback to one worker only, even when workers claim at once', async () => {
      const ids = await seedOutbox(30);
      const claims = await Promise.all(
        ['a', 'b', 'c'].map((leaseOwner) =>
          store.outbox.claimDue({ leaseOwner, nowMs: NOW, leaseUntilMs: NOW + 10_000, limit: 30 }),
        ),
      );
      const claimedIds = claims.flat().map((row) => row.id);
      expect(claimedIds.sort()).toEqual([...ids].sort());
    });

    it('hands a callback whose lease expired to another worker', async () => {
      const [id] = await seedOutbox(1);
      await store.outbox.claimDue({
        leaseOwner: 'dead-worker',
        nowMs: NOW,
        leaseUntilMs: NOW + 100,
        limit: 10,
      });
      expect(
        await store.outbox.claimDue({
          leaseOwner: 'other',
          nowMs: NOW + 50,
          leaseUntilMs: NOW + 5000,
          limit: 10,
        }),
      ).toEqual([]);
      const reclaimed = await store.outbox.claimDue({
        leaseOwner: 'other',
        nowMs: NOW + 101,
        leaseUntilMs: NOW + 5000,
        limit: 10,
      });
      expect(reclaimed.map((row) => row.id)).toEqual([id]);
    });

    it("reads the attempts of many callbacks at once, each callback's in the order they were made", async () => {
      const [first, second, third] = (await seedOutbox(3)) as [string, string, string];
      const attemptOf = (outboxId: string, attempt: number) => ({
        outboxId,
        attempt,
        startedAtMs: NOW + attempt,
        durationMs: 3,
        responseStatus: 503,
        error: 'receiver answered 503',
      });
      for (const attempt of [1, 2]) {
        await store.outbox.claimDue({ leaseOwner: 'w', nowMs: NOW, leaseUntilMs: NOW + 100, limit: 10 });
        for (const outboxId of [third, second, first]) {
          await store.outbox.recordAttempt({
            outboxId,
            leaseOwner: 'w',
            attempt: attemptOf(outboxId, attempt),
            nextState: 'PENDING',
            nextAttemptAtMs: NOW,
          });
        }
      }
      const attempts = await store.outbox.listAttempts([third, first, randomUUID()]);
      expect(attempts.filter((attempt) => attempt.outboxId === first)).toEqual([
        attemptOf(first, 1),
        attemptOf(first, 2),
      ]);
      expect(attempts.filter((attempt) => attempt.outboxId === third)).toEqual([
        attemptOf(third, 1),
        attemptOf(third, 2),
      ]);
      expect(attempts).toHaveLength(4);
      expect(await store.outbox.listAttempts([])).toEqual([]);
    });

    it('deletes the delivered and given-up callbacks last tried before a time, with their attempts, and no others', async () => {
      const [delivered, dead, pending, recent] = (await seedOutbox(4)) as [string, string, string, string];
      await store.outbox.claimDue({ leaseOwner: 'w', nowMs: NOW, leaseUntilMs: NOW + 100, limit: 10 });
      const outcomes = [
        [delivered, 'DELIVERED', NOW],
        [dead, 'DEAD', NOW],
        [pending, 'PENDING', NOW],
        [recent, 'DELIVERED', NOW + 1000],
      ] as const;
      for (const [outboxId, nextState, nextAttemptAtMs] of outcomes) {
        await store.outbox.recordAttempt({
          outboxId,
          leaseOwner: 'w',
          attempt: {
            outboxId,
            attempt: 1,
            startedAtMs: NOW,
            durationMs: 1,
            responseStatus: 200,
            error: null,
          },
          nextState,
          nextAttemptAtMs,
        });
      }

      expect(await store.transaction((tx) => tx.outbox.deleteFinishedBefore(NOW + 1000, 1))).toBe(1);
      expect(await store.transaction((tx) => tx.outbox.deleteFinishedBefore(NOW + 1000, 10))).toBe(1);
      expect(await store.transaction((tx) => tx.outbox.deleteFinishedBefore(NOW + 1000, 10))).toBe(0);

      expect(await store.outbox.findById(delivered)).toBeUndefined();
      expect(await store.outbox.findById(dead)).toBeUndefined();
      expect((await store.outbox.findById(pending))?.state).toBe('PENDING');
      expect((await store.outbox.findById(recent))?.state).toBe('DELIVERED');
      const attempts = await store.outbox.listAttempts([delivered, dead, pending, recent]);
      expect(attempts.map((attempt) => attempt.outboxId).sort()).toEqual([pending, recent].sort());
    });

    it('leaves a callback that a worker is sending to that worker when it is replayed', async () => {
      const [id] = (await seedOutbox(1)) as [string];
      await store.outbox.claimDue({
        leaseOwner: 'sending',
        nowMs: NOW,
        leaseUntilMs: NOW + 10_000,
        limit: 10,
      });

      expect(await store.outbox.requeue(id, NOW + 1)).toBe(true);

      expect(
        await store.outbox.claimDue({
          leaseOwner: 'other',
          nowMs: NOW + 1,
          leaseUntilMs: NOW + 10_000,
          limit: 10,
        }),
      ).toEqual([]);
      const recorded = await store.transaction((tx) =>
        tx.outbox.recordAttempt({
          outboxId: id,
          leaseOwner: 'sending',
          attempt: {
            outboxId: id,
            attempt: 1,
            startedAtMs: NOW,
            durationMs: 1,
            responseStatus: 200,
            error: null,
          },
          nextState: 'DELIVERED',
          nextAttemptAtMs: NOW,
        }),
      );
      expect(recorded).toBe(true);
      expect(await store.outbox.requeue(randomUUID(), NOW + 1)).toBe(false);
    });

    it('ignores the attempt of a worker that lost its lease', async () => {
      const [id] = await seedOutbox(1);
      await store.outbox.claimDue({ leaseOwner: 'slow', nowMs: NOW, leaseUntilMs: NOW + 100, limit: 10 });
      await store.outbox.claimDue({
        leaseOwner: 'fast',
        nowMs: NOW + 200,
        leaseUntilMs: NOW + 5000,
        limit: 10,
      });
      const attempt = {
        outboxId: id as string,
        attempt: 1,
        startedAtMs: NOW,
        durationMs: 5,
        responseStatus: 200,
        error: null,
      };
      const slowRecorded = await store.outbox.recordAttempt({
        outboxId: id as string,
        leaseOwner: 'slow',
        attempt,
        nextState: 'DELIVERED',
        nextAttemptAtMs: NOW,
      });
      expect(slowRecorded).toBe(false);
      expect((await store.outbox.findById(id as string))?.leaseOwner).toBe('fast');
      expect(await store.outbox.listAttempts([id as string])).toEqual([]);
    });

    it('records a failed attempt and schedules the next one', async () => {
      const [id] = await seedOutbox(1);
      await store.outbox.claimDue({ leaseOwner: 'w', nowMs: NOW, leaseUntilMs: NOW + 100, limit: 10 });
      const attempt = {
        outboxId: id as string,
        attempt: 1,
        startedAtMs: NOW,
        durationMs: 12,
        responseStatus: 503,
        error: 'receiver answered 503',
      };
      await store.outbox.recordAttempt({
        outboxId: id as string,
        leaseOwner: 'w',
        attempt,
        nextState: 'PENDING',
        nextAttemptAtMs: NOW + 1000,
      });
      expect(await store.outbox.findById(id as string)).toMatchObject({
        state: 'PENDING',
        attempts: 1,
        nextAttemptAtMs: NOW + 1000,
        leaseOwner: null,
        lastError: 'receiver answered 503',
      });
      expect(await store.outbox.listAttempts([id as string])).toEqual([attempt]);
      expect(
        await store.outbox.claimDue({
          leaseOwner: 'w',
          nowMs: NOW + 999,
          leaseUntilMs: NOW + 5000,
          limit: 10,
        }),
      ).toEqual([]);
    });
  });

  describe('authentication failures', () => {
    const WINDOW_MS = 60_000;

    it('counts the failures of one address within its window and starts a new window after it ends', async () => {
      expect(await store.authFailures.record('203.0.113.7', NOW, WINDOW_MS)).toEqual({
        failures: 1,
        windowEndsAtMs: NOW + WINDOW_MS,
      });
      expect(await store.authFailures.record('203.0.113.7', NOW + 1_000, WINDOW_MS)).toEqual({
        failures: 2,
        windowEndsAtMs: NOW + WINDOW_MS,
      });
      expect(await store.authFailures.record('198.51.100.1', NOW + 1_000, WINDOW_MS)).toMatchObject({
        failures: 1,
      });
      expect(await store.authFailures.record('203.0.113.7', NOW + WINDOW_MS, WINDOW_MS)).toEqual({
        failures: 1,
        windowEndsAtMs: NOW + 2 * WINDOW_MS,
      });
    });

    it('loses no failure when many are recorded at once', async () => {
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => store.authFailures.record('203.0.113.7', NOW, WINDOW_MS)),
      );
      expect(counts.map((window) => window.failures).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    it('forgets only the windows that have ended', async () => {
      await store.authFailures.record('203.0.113.7', NOW, WINDOW_MS);
      await store.authFailures.record('198.51.100.1', NOW + 10_000, WINDOW_MS);
      await store.authFailures.deleteEnded(NOW + WINDOW_MS);
      // Recorded as if at an earlier time, where a window that was kept would still count.
      expect(await store.authFailures.record('203.0.113.7', NOW + 5_000, WINDOW_MS)).toMatchObject({
        failures: 1,
      });
      expect(await store.authFailures.record('198.51.100.1', NOW + 15_000, WINDOW_MS)).toMatchObject({
        failures: 2,
      });
    });
  });
}
