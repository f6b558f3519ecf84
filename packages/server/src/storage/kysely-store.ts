/** The one Store implementation, dialect-agnostic: engine differences come in through `StoreDialect`. */
import { type Kysely, Migrator, type Selectable, sql, type Transaction } from 'kysely';
import { compileOnce } from './compiled-query.js';
import type { Database } from './database-schema.js';
import type { StoreDialect } from './dialects/dialect.js';
import { createGroupCommit } from './group-commit.js';
import { migrationProvider } from './migrations/index.js';
import { createReadBatcher } from './read-batcher.js';
import {
  fromTransaction,
  toAccount,
  toAccountHolder,
  toApiUser,
  toCallbackAttempt,
  toFlag,
  toNumber,
  toOutbox,
  toPartner,
  toSubscriptionKey,
  toTransaction,
  toTransactionEvent,
} from './row-mapping.js';
import type { LedgerAuditFigures, ListCursor, Repositories, Store, StoredStatus } from './store.js';
import { createTransactionCache, type TransactionCache } from './transaction-cache.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Deadlock and serialization victims are retried this many times in all before the error surfaces. */
const TRANSACTION_ATTEMPTS_MAX = 5;

const inserted = (result: { numInsertedOrUpdatedRows?: bigint }): boolean =>
  (result.numInsertedOrUpdatedRows ?? 0n) > 0n;

const affected = (result: { numAffectedRows?: bigint }): boolean => (result.numAffectedRows ?? 0n) > 0n;

type TransactionRow = ReturnType<typeof fromTransaction>;
type StoredTransactionRow = Selectable<Database['transactions']>;

/**
 * The fixed-shape queries of every create, status read and settlement, compiled to SQL once per store rather
 * than on each call (compiled-query.ts). The rest, and any whose SQL changes with its input (a list of ids, a
 * number of rows), are built by Kysely as they run.
 */
function compileHotQueries(db: Kysely<Database>, rowLocks: boolean) {
  const transactionById = (values: { id: string }) =>
    db.selectFrom('transactions').selectAll().where('id', '=', values.id);
  const resolveTransaction = (values: TransactionResolutionRow) =>
    db
      .updateTable('transactions')
      .set({
        status: values.status,
        reason: values.reason,
        financial_transaction_id: values.financialTransactionId,
        decide_at_ms: null,
        awaiting_payer: 0n,
        updated_at_ms: values.atMs,
      })
      .where('id', '=', values.id);
  return {
    transactionByReference: compileOnce((values: { apiUserId: string; referenceId: string }) =>
      db
        .selectFrom('transactions')
        .selectAll()
        .where('api_user_id', '=', values.apiUserId)
        .where('reference_id', '=', values.referenceId),
    ),
    // PostgreSQL only (arrays as parameters): every transaction of the pairs (apiUserIds[i], referenceIds[i]).
    transactionsByReferences: compileOnce((values: { apiUserIds: string[]; referenceIds: string[] }) =>
      db
        .selectFrom('transactions')
        .selectAll()
        .where(
          (eb) => eb.refTuple('api_user_id', 'reference_id'),
          'in',
          sql<
            [string, string]
          >`(select * from unnest(${values.apiUserIds}::text[], ${values.referenceIds}::text[]))`,
        ),
    ),
    transactionById: compileOnce(transactionById),
    lockTransactionById: compileOnce((values: { id: string }) =>
      rowLocks ? transactionById(values).forUpdate() : transactionById(values),
    ),
    insertTransaction: compileOnce((values: TransactionRow) =>
      db
        .insertInto('transactions')
        .values(values)
        .onConflict((conflict) => conflict.columns(['api_user_id', 'reference_id']).doNothing()),
    ),
    resolveTransaction: compileOnce(resolveTransaction),
    resolveTransactionWithValidity: compileOnce(
      (values: TransactionResolutionRow & { validUntilMs: bigint }) =>
        resolveTransaction(values).set({ valid_until_ms: values.validUntilMs }),
    ),
    insertEvent: compileOnce(
      (values: {
        transactionId: string;
        status: string;
        reason: string | null;
        detail: string | null;
        atMs: bigint;
      }) =>
        db.insertInto('transaction_events').values({
          transaction_id: values.transactionId,
          status: values.status,
          reason: values.reason,
          detail: values.detail,
          at_ms: values.atMs,
        }),
    ),
    activePreapproval: compileOnce(
      (values: {
        partnerId: string;
        partyIdType: string;
        partyId: string;
        currency: string;
        nowMs: bigint;
      }) =>
        db
          .selectFrom('transactions')
          .innerJoin('api_users', 'api_users.id', 'transactions.api_user_id')
          .select('transactions.id')
          .where('transactions.kind', '=', 'PREAPPROVAL')
          .where('transactions.party_id_type', '=', values.partyIdType)
          .where('transactions.party_id', '=', values.partyId)
          .where('transactions.status', '=', 'SUCCESSFUL')
          .where('transactions.currency', '=', values.currency)
          .where('transactions.valid_until_ms', '>', values.nowMs)
          .where('api_users.partner_id', '=', values.partnerId)
          .limit(1),
    ),
    accountHolderByParty: compileOnce((values: { partyIdType: string; partyId: string }) =>
      db
        .selectFrom('account_holders')
        .selectAll()
        .where('party_id_type', '=', values.partyIdType)
        .where('party_id', '=', values.partyId),
    ),
    accountHolderWithWallet: compileOnce(
      (values: { partyIdType: string; partyId: string; currency: string }) =>
        db
          .selectFrom('account_holders')
          .selectAll()
          .select((eb) =>
            eb
              .exists(
                eb
                  .selectFrom('accounts')
                  .select('accounts.id')
                  .where('accounts.owner_type', '=', 'ACCOUNT_HOLDER')
                  .whereRef('accounts.owner_id', '=', 'account_holders.id')
                  .where('accounts.product', '=', '')
                  .where('accounts.currency', '=', values.currency),
              )
              .as('has_wallet'),
          )
          .where('party_id_type', '=', values.partyIdType)
          .where('party_id', '=', values.partyId),
    ),
    accountByOwner: compileOnce(
      (values: { ownerType: string; ownerId: string; product: string; currency: string }) =>
        db
          .selectFrom('accounts')
          .selectAll()
          .where('owner_type', '=', values.ownerType)
          .where('owner_id', '=', values.ownerId)
          .where('product', '=', values.product)
          .where('currency', '=', values.currency),
    ),
    accountById: compileOnce((values: { id: string }) =>
      db.selectFrom('accounts').selectAll().where('id', '=', values.id),
    ),
    addToBalance: compileOnce((values: { id: string; deltaMinor: bigint }) =>
      db
        .updateTable('accounts')
        .set((eb) => ({ balance_minor: eb('balance_minor', '+', values.deltaMinor) }))
        .where('id', '=', values.id),
    ),
    apiUserById: compileOnce((values: { id: string }) =>
      db.selectFrom('api_users').selectAll().where('id', '=', values.id),
    ),
    insertTransfer: compileOnce((values: Omit<Database['ledger_transfers'], 'id'>) =>
      db
        .insertInto('ledger_transfers')
        .values({
          transfer_key: values.transfer_key,
          debit_account_id: values.debit_account_id,
          credit_account_id: values.credit_account_id,
          amount_minor: values.amount_minor,
          currency: values.currency,
          transaction_id: values.transaction_id,
          created_at_ms: values.created_at_ms,
        })
        .onConflict((conflict) => conflict.column('transfer_key').doNothing())
        .returning('id'),
    ),
    insertOutbox: compileOnce((values: Database['callback_outbox']) =>
      db.insertInto('callback_outbox').values({
        id: values.id,
        transaction_id: values.transaction_id,
        url: values.url,
        method: values.method,
        body_json: values.body_json,
        state: values.state,
        attempts: values.attempts,
        next_attempt_at_ms: values.next_attempt_at_ms,
        lease_owner: values.lease_owner,
        lease_until_ms: values.lease_until_ms,
        last_error: values.last_error,
        created_at_ms: values.created_at_ms,
        delivered_at_ms: values.delivered_at_ms,
      }),
    ),
    // The callback worker's: one claim per poll or wake, one attempt recorded per delivery.
    claimDueCallbacks: compileOnce(
      (values: { leaseOwner: string; nowMs: bigint; leaseUntilMs: bigint; limit: bigint }) =>
        db
          .updateTable('callback_outbox')
          .set({ lease_owner: values.leaseOwner, lease_until_ms: values.leaseUntilMs })
          .where('id', 'in', (eb) => {
            const due = eb
              .selectFrom('callback_outbox')
              .select('id')
              .where('state', '=', 'PENDING')
              .where('next_attempt_at_ms', '<=', values.nowMs)
              // An expired lease is a worker that died mid-delivery: its row is due again.
              .where((w) => w.or([w('lease_until_ms', 'is', null), w('lease_until_ms', '<', values.nowMs)]))
              .orderBy('next_attempt_at_ms')
              .limit(values.limit);
            return rowLocks ? due.forUpdate().skipLocked() : due;
          })
          .returningAll(),
    ),
    recordCallbackAttempt: compileOnce(
      (values: {
        outboxId: string;
        leaseOwner: string;
        state: string;
        attempts: bigint;
        nextAttemptAtMs: bigint;
        lastError: string | null;
        deliveredAtMs: bigint | null;
      }) =>
        db
          .updateTable('callback_outbox')
          .set({
            state: values.state,
            attempts: values.attempts,
            next_attempt_at_ms: values.nextAttemptAtMs,
            lease_owner: null,
            lease_until_ms: null,
            last_error: values.lastError,
            delivered_at_ms: values.deliveredAtMs,
          })
          .where('id', '=', values.outboxId)
          .where('lease_owner', '=', values.leaseOwner),
    ),
    insertCallbackAttempt: compileOnce((values: Omit<Database['callback_attempts'], 'id'>) =>
      db.insertInto('callback_attempts').values({
        outbox_id: values.outbox_id,
        attempt: values.attempt,
        started_at_ms: values.started_at_ms,
        duration_ms: values.duration_ms,
        response_status: values.response_status,
        error: values.error,
      }),
    ),
  };
}

interface TransactionResolutionRow {
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
  readonly financialTransactionId: string | null;
  readonly atMs: bigint;
}

type HotQueries = ReturnType<typeof compileHotQueries>;

/**
 * `cache` answers status reads made outside a transaction; inside one, reads go to the database (they may see
 * the transaction's own uncommitted writes, which must not be kept), and writes tell the cache first.
 */
function repositoriesOf(
  db: Executor,
  rowLocks: boolean,
  hot: HotQueries,
  cache: TransactionCache,
  inTransaction: boolean,
  /** Reads a transaction by X-Reference-Id on this executor: batched with others where the engine gains by it. */
  readByReference: (apiUserId: string, referenceId: string) => Promise<StoredTransactionRow | undefined>,
  /** Where balance increments wait for the end of the transaction; undefined: each goes out at once. */
  heldIncrements?: HeldIncrements,
): Repositories {
  return {
    partners: {
      async insert(partner) {
        await db
          .insertInto('partners')
          .values({ id: partner.id, name: partner.name, created_at_ms: BigInt(partner.createdAtMs) })
          .execute();
      },
      async findById(id) {
        const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
        return row === undefined ? undefined : toPartner(row);
      },
      async findByIds(ids) {
        if (ids.length === 0) {
          return [];
        }
        const rows = await db.selectFrom('partners').selectAll().where('id', 'in', inList(ids)).execute();
        return rows.map(toPartner);
      },
    },

    subscriptionKeys: {
      async findByHash(keyHash) {
        const row = await db
          .selectFrom('subscription_keys')
          .selectAll()
          .where('key_hash', '=', keyHash)
          .executeTakeFirst();
        return row === undefined ? undefined : toSubscriptionKey(row);
      },
      async insertIfAbsent(key) {
        const result = await db
          .insertInto('subscription_keys')
          .values({
            key_hash: key.keyHash,
            partner_id: key.partnerId,
            product: key.product,
            origin: key.origin,
            created_at_ms: BigInt(key.createdAtMs),
          })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        return inserted(result);
      },
      async bindProduct(keyHash, product) {
        await db
          .updateTable('subscription_keys')
          .set({ product })
          .where('key_hash', '=', keyHash)
          .where('product', 'is', null)
          .execute();
      },
      async revoke(keyHash, nowMs) {
        await db
          .updateTable('subscription_keys')
          .set({ revoked_at_ms: BigInt(nowMs) })
          .where('key_hash', '=', keyHash)
          .where('revoked_at_ms', 'is', null)
          .execute();
        const row = await db
          .selectFrom('subscription_keys')
          .selectAll()
          .where('key_hash', '=', keyHash)
          .executeTakeFirst();
        return row === undefined ? undefined : toSubscriptionKey(row);
      },
      async listRevokedHashes() {
        const rows = await db
          .selectFrom('subscription_keys')
          .select('key_hash')
          // A range, not `is not null`, so that SQLite reads the index rather than the table.
          .where('revoked_at_ms', '>=', 0n)
          .execute();
        return rows.map((row) => row.key_hash);
      },
    },

    apiUsers: {
      async insertIfAbsent(apiUser) {
        const result = await db
          .insertInto('api_users')
          .values({
            id: apiUser.id,
            partner_id: apiUser.partnerId,
            provider_callback_host: apiUser.providerCallbackHost,
            target_environment: apiUser.targetEnvironment,
            created_at_ms: BigInt(apiUser.createdAtMs),
          })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        return inserted(result);
      },
      async findById(id) {
        const [row] = (await hot.apiUserById.run(db, { id })).rows;
        return row === undefined ? undefined : toApiUser(row);
      },
      async listAll(limit) {
        const rows = await db
          .selectFrom('api_users')
          .selectAll()
          .orderBy('created_at_ms', 'desc')
          .limit(limit)
          .execute();
        return rows.map(toApiUser);
      },
      async revoke(id, nowMs) {
        await db
          .updateTable('api_users')
          .set({ revoked_at_ms: BigInt(nowMs) })
          .where('id', '=', id)
          .where('revoked_at_ms', 'is', null)
          .execute();
        const [row] = (await hot.apiUserById.run(db, { id })).rows;
        return row === undefined ? undefined : toApiUser(row);
      },
      async listRevokedIds() {
        const rows = await db
          .selectFrom('api_users')
          .select('id')
          // A range, not `is not null`, so that SQLite reads the index rather than the table.
          .where('revoked_at_ms', '>=', 0n)
          .execute();
        return rows.map((row) => row.id);
      },
    },

    apiKeys: {
      async insert(apiUserId, keyHash, createdAtMs) {
        await db
          .insertInto('api_keys')
          .values({ key_hash: keyHash, api_user_id: apiUserId, created_at_ms: BigInt(createdAtMs) })
          .execute();
      },
      async exists(apiUserId, keyHash) {
        const row = await db
          .selectFrom('api_keys')
          .select('key_hash')
          .where('key_hash', '=', keyHash)
          .where('api_user_id', '=', apiUserId)
          .executeTakeFirst();
        return row !== undefined;
      },
    },

    accountHolders: {
      async findByParty(partyIdType, partyId) {
        const [row] = (await hot.accountHolderByParty.run(db, { partyIdType, partyId })).rows;
        return row === undefined ? undefined : toAccountHolder(row);
      },
      async findWithWallet(partyIdType, partyId, currency) {
        const [row] = (await hot.accountHolderWithWallet.run(db, { partyIdType, partyId, currency })).rows;
        // SQLite answers EXISTS with 0 or 1 (a bigint here), PostgreSQL with a boolean.
        return row === undefined
          ? undefined
          : {
              holder: toAccountHolder(row),
              hasWallet: row.has_wallet === true || Number(row.has_wallet) === 1,
            };
      },
      async findByIds(ids) {
        if (ids.length === 0) {
          return [];
        }
        const rows = await db
          .selectFrom('account_holders')
          .selectAll()
          .where('id', 'in', inList(ids))
          .execute();
        return rows.map(toAccountHolder);
      },
      async listAll(limit) {
        const rows = await db
          .selectFrom('account_holders')
          .selectAll()
          .orderBy('created_at_ms', 'desc')
          .limit(limit)
          .execute();
        return rows.map(toAccountHolder);
      },
      async insertIfAbsent(holder) {
        const result = await db
          .insertInto('account_holders')
          .values({
            id: holder.id,
            party_id_type: holder.partyIdType,
            party_id: holder.partyId,
            given_name: holder.givenName,
            family_name: holder.familyName,
            status: holder.status,
            approval_mode: holder.approvalMode,
            pin_hash: holder.pinHash,
            created_at_ms: BigInt(holder.createdAtMs),
          })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        return inserted(result);
      },
      async update(id, patch) {
        const values = {
          ...(patch.status === undefined ? {} : { status: patch.status }),
          ...(patch.approvalMode === undefined ? {} : { approval_mode: patch.approvalMode }),
          ...(patch.pinHash === undefined ? {} : { pin_hash: patch.pinHash }),
          ...(patch.givenName === undefined ? {} : { given_name: patch.givenName }),
          ...(patch.familyName === undefined ? {} : { family_name: patch.familyName }),
          ...(patch.birthdate === undefined ? {} : { birthdate: patch.birthdate }),
          ...(patch.locale === undefined ? {} : { locale: patch.locale }),
          ...(patch.gender === undefined ? {} : { gender: patch.gender }),
        };
        if (Object.keys(values).length > 0) {
          await db.updateTable('account_holders').set(values).where('id', '=', id).execute();
        }
      },
    },

    accounts: {
      async findByOwner(ownerType, ownerId, product, currency) {
        await heldIncrements?.apply();
        const [row] = (await hot.accountByOwner.run(db, { ownerType, ownerId, product, currency })).rows;
        return row === undefined ? undefined : toAccount(row);
      },
      async insertIfAbsent(account) {
        const result = await db
          .insertInto('accounts')
          .values({
            id: account.id,
            owner_type: account.ownerType,
            owner_id: account.ownerId,
            product: account.product,
            currency: account.currency,
            balance_minor: account.balanceMinor,
            allow_negative: toFlag(account.allowNegative),
            created_at_ms: BigInt(account.createdAtMs),
          })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        return inserted(result);
      },
      async findById(id) {
        await heldIncrements?.apply();
        const [row] = (await hot.accountById.run(db, { id })).rows;
        return row === undefined ? undefined : toAccount(row);
      },
      async lockByIds(ids) {
        if (ids.length === 0) {
          return [];
        }
        await heldIncrements?.apply();
        // Locked in id order, so two transactions locking the same accounts here wait for each other rather
        // than deadlock. Only the accounts a posting debits are locked here; a credit's row is locked by its
        // increment at the transaction's end (decision 0033), so opposite postings between two accounts can
        // still deadlock, and the store runs the transaction again (40P01).
        const query = db.selectFrom('accounts').selectAll().where('id', 'in', ids).orderBy('id');
        const rows = await (rowLocks ? query.forUpdate() : query).execute();
        return rows.map(toAccount);
      },
      async addToBalance(id, deltaMinor) {
        if (heldIncrements === undefined) {
          await hot.addToBalance.run(db, { id, deltaMinor });
        } else {
          heldIncrements.hold(id, deltaMinor);
        }
      },
      async listNewest(limit) {
        await heldIncrements?.apply();
        const rows = await db
          .selectFrom('accounts')
          .selectAll()
          .orderBy('created_at_ms', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .execute();
        return rows.map(toAccount);
      },
    },

    ledger: {
      async insertTransfer(transfer) {
        const [row] = (
          await hot.insertTransfer.run(db, {
            transfer_key: transfer.transferKey,
            debit_account_id: transfer.debitAccountId,
            credit_account_id: transfer.creditAccountId,
            amount_minor: transfer.amountMinor,
            currency: transfer.currency,
            transaction_id: transfer.transactionId,
            created_at_ms: BigInt(transfer.createdAtMs),
          })
        ).rows;
        return row === undefined ? null : BigInt(row.id);
      },
      async insertEntries(entries) {
        await db
          .insertInto('ledger_entries')
          .values(
            entries.map((entry) => ({
              transfer_id: entry.transferId,
              account_id: entry.accountId,
              amount_minor: entry.amountMinor,
              currency: entry.currency,
            })),
          )
          .execute();
      },
      async listNewestEntries(accountId, limit) {
        const rows = await db
          .selectFrom('ledger_entries')
          .selectAll()
          .where('account_id', '=', accountId)
          .orderBy('id', 'desc')
          .limit(limit)
          .execute();
        return rows.map((row) => ({
          transferId: BigInt(row.transfer_id),
          accountId: row.account_id,
          amountMinor: BigInt(row.amount_minor),
          currency: row.currency,
        }));
      },
      async listTransfersOfTransaction(transactionId) {
        const rows = await db
          .selectFrom('ledger_transfers')
          .selectAll()
          .where('transaction_id', '=', transactionId)
          .orderBy('id')
          .execute();
        return rows.map((row) => ({
          id: BigInt(row.id),
          transferKey: row.transfer_key,
          debitAccountId: row.debit_account_id,
          creditAccountId: row.credit_account_id,
          amountMinor: BigInt(row.amount_minor),
          currency: row.currency,
          transactionId: row.transaction_id,
          createdAtMs: toNumber(row.created_at_ms),
        }));
      },
    },

    transactions: {
      async insertIfAbsent(transaction) {
        return affected(await hot.insertTransaction.run(db, fromTransaction(transaction)));
      },
      async findByReference(apiUserId, referenceId) {
        if (inTransaction) {
          const row = await readByReference(apiUserId, referenceId);
          return row === undefined ? undefined : toTransaction(row);
        }
        const cached = cache.find(apiUserId, referenceId);
        if (cached !== undefined) {
          return cached;
        }
        const ticket = cache.readStarted();
        const row = await readByReference(apiUserId, referenceId);
        if (row === undefined) {
          return undefined;
        }
        const transaction = toTransaction(row);
        cache.keep(ticket, transaction);
        return transaction;
      },
      async findById(id) {
        const [row] = (await hot.transactionById.run(db, { id })).rows;
        return row === undefined ? undefined : toTransaction(row);
      },
      async findByIds(ids) {
        if (ids.length === 0) {
          return [];
        }
        const rows = await db.selectFrom('transactions').selectAll().where('id', 'in', inList(ids)).execute();
        return rows.map(toTransaction);
      },
      async findByPartnerReference(caller, referenceId, kinds) {
        const row = await db
          .selectFrom('transactions')
          .innerJoin('api_users', 'api_users.id', 'transactions.api_user_id')
          .selectAll('transactions')
          .where('api_users.partner_id', '=', caller.partnerId)
          .where('transactions.reference_id', '=', referenceId)
          .where('transactions.kind', 'in', kinds)
          // Sandbox money is not production money, even where two environments share a currency.
          .where('transactions.target_environment', '=', caller.targetEnvironment)
          .orderBy(sql`case when transactions.api_user_id = ${caller.apiUserId} then 0 else 1 end`)
          .orderBy('transactions.created_at_ms')
          .executeTakeFirst();
        return row === undefined ? undefined : toTransaction(row);
      },
      async hasActivePreapproval({ partnerId, partyIdType, partyId, currency, nowMs }) {
        const { rows } = await hot.activePreapproval.run(db, {
          partnerId,
          partyIdType,
          partyId,
          currency,
          nowMs: BigInt(nowMs),
        });
        return rows.length > 0;
      },
      async listActivePreapprovals({ apiUserId, partyIdType, partyId, nowMs }) {
        const rows = await db
          .selectFrom('transactions')
          .selectAll()
          .where('kind', '=', 'PREAPPROVAL')
          .where('party_id_type', '=', partyIdType)
          .where('party_id', '=', partyId)
          .where('status', '=', 'SUCCESSFUL')
          .where('api_user_id', '=', apiUserId)
          .where('valid_until_ms', '>', BigInt(nowMs))
          .orderBy('created_at_ms')
          .orderBy('id')
          .execute();
        return rows.map(toTransaction);
      },
      async sumRefundedMinor(originalTransactionId, { includePending }) {
        const row = await db
          .selectFrom('transactions')
          .select((eb) => eb.fn.sum<bigint | string | null>('amount_minor').as('total'))
          .where('kind', '=', 'REFUND')
          .where('related_transaction_id', '=', originalTransactionId)
          .where('status', 'in', includePending ? ['SUCCESSFUL', 'PENDING'] : ['SUCCESSFUL'])
          .executeTakeFirst();
        return row?.total == null ? 0n : BigInt(row.total);
      },
      async list(filter) {
        let query = db
          .selectFrom('transactions')
          .selectAll()
          .orderBy('created_at_ms', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit);
        if (filter.product !== undefined) {
          query = query.where('product', '=', filter.product);
        }
        if (filter.status !== undefined) {
          query = query.where('status', '=', filter.status);
        }
        if (filter.apiUserId !== undefined) {
          query = query.where('api_user_id', '=', filter.apiUserId);
        }
        if (filter.partyId !== undefined) {
          query = query.where('party_id', '=', filter.partyId);
        }
        if (filter.fromMs !== undefined) {
          query = query.where('created_at_ms', '>=', BigInt(filter.fromMs));
        }
        if (filter.toMs !== undefined) {
          query = query.where('created_at_ms', '<', BigInt(filter.toMs));
        }
        if (filter.before !== undefined) {
          query = query.where(createdBefore(filter.before));
        }
        return (await query.execute()).map(toTransaction);
      },
      async listSince(sinceMs, excludedKinds, limit) {
        const rows = await db
          .selectFrom('transactions')
          .select(['created_at_ms', 'updated_at_ms', 'status', 'product'])
          .where('created_at_ms', '>=', BigInt(sinceMs))
          // Not `in` the other kinds: the planner would then walk the kind index and sort.
          .$if(excludedKinds.length > 0, (query) => query.where('kind', 'not in', excludedKinds))
          .orderBy('created_at_ms')
          .limit(limit)
          .execute();
        return rows.map((row) => ({
          createdAtMs: toNumber(row.created_at_ms),
          updatedAtMs: toNumber(row.updated_at_ms),
          status: row.status as StoredStatus,
          product: row.product,
        }));
      },
      async lockById(id) {
        const [row] = (await hot.lockTransactionById.run(db, { id })).rows;
        return row === undefined ? undefined : toTransaction(row);
      },
      async listDueIds(nowMs, limit) {
        const rows = await db
          .selectFrom('transactions')
          .select('id')
          .where('status', '=', 'PENDING')
          .where('decide_at_ms', '<=', BigInt(nowMs))
          .orderBy('decide_at_ms')
          .limit(limit)
          .execute();
        return rows.map((row) => row.id);
      },
      async postponeDecision(id, decideAtMs) {
        cache.forget(id);
        await db
          .updateTable('transactions')
          // Its deadline has passed: the payer's time to answer ends with it, whenever the decision is made.
          .set({ decide_at_ms: BigInt(decideAtMs), awaiting_payer: 0n })
          .where('id', '=', id)
          .where('status', '=', 'PENDING')
          .execute();
        if (!inTransaction) {
          // As in resolve: a read that began after the first forget may have kept the record this write replaced.
          cache.forget(id);
        }
      },
      async listAwaitingPayer(partyIdType, partyId) {
        const rows = await db
          .selectFrom('transactions')
          .selectAll()
          .where('party_id_type', '=', partyIdType)
          .where('party_id', '=', partyId)
          .where('status', '=', 'PENDING')
          .where('awaiting_payer', '=', 1n)
          .orderBy('created_at_ms')
          .execute();
        return rows.map(toTransaction);
      },
      async resolve(id, resolution) {
        cache.forget(id);
        const values = {
          id,
          status: resolution.status,
          reason: resolution.reason,
          financialTransactionId: resolution.financialTransactionId,
          atMs: BigInt(resolution.atMs),
        };
        await (resolution.validUntilMs === undefined
          ? hot.resolveTransaction.run(db, values)
          : hot.resolveTransactionWithValidity.run(db, {
              ...values,
              validUntilMs: BigInt(resolution.validUntilMs),
            }));
        if (!inTransaction) {
          // Outside a transaction nothing holds the connection between the forget above and this write, and
          // Kysely's SQLite mutex does not promise order: a read that began after the forget may have reached the
          // database first and kept the record this write replaced.
          cache.forget(id);
        }
      },
      async insertEvent(event) {
        await hot.insertEvent.run(db, { ...event, atMs: BigInt(event.atMs) });
      },
      async listEvents(transactionId) {
        const rows = await db
          .selectFrom('transaction_events')
          .selectAll()
          .where('transaction_id', '=', transactionId)
          .orderBy('id')
          .execute();
        return rows.map(toTransactionEvent);
      },
    },

    outbox: {
      async insert(record) {
        await hot.insertOutbox.run(db, {
          id: record.id,
          transaction_id: record.transactionId,
          url: record.url,
          method: record.method,
          body_json: record.bodyJson,
          state: record.state,
          attempts: BigInt(record.attempts),
          next_attempt_at_ms: BigInt(record.nextAttemptAtMs),
          lease_owner: record.leaseOwner,
          lease_until_ms: record.leaseUntilMs === null ? null : BigInt(record.leaseUntilMs),
          last_error: record.lastError,
          created_at_ms: BigInt(record.createdAtMs),
          delivered_at_ms: record.deliveredAtMs === null ? null : BigInt(record.deliveredAtMs),
        });
      },
      async claimDue({ leaseOwner, nowMs, leaseUntilMs, limit }) {
        const { rows } = await hot.claimDueCallbacks.run(db, {
          leaseOwner,
          nowMs: BigInt(nowMs),
          leaseUntilMs: BigInt(leaseUntilMs),
          limit: BigInt(limit),
        });
        return rows.map(toOutbox);
      },
      async recordAttempt({ outboxId, leaseOwner, attempt, nextState, nextAttemptAtMs }) {
        const recorded = await hot.recordCallbackAttempt.run(db, {
          outboxId,
          leaseOwner,
          state: nextState,
          attempts: BigInt(attempt.attempt),
          nextAttemptAtMs: BigInt(nextAttemptAtMs),
          lastError: attempt.error,
          deliveredAtMs: nextState === 'DELIVERED' ? BigInt(attempt.startedAtMs + attempt.durationMs) : null,
        });
        if (!affected(recorded)) {
          return false;
        }
        await hot.insertCallbackAttempt.run(db, {
          outbox_id: attempt.outboxId,
          attempt: BigInt(attempt.attempt),
          started_at_ms: BigInt(attempt.startedAtMs),
          duration_ms: BigInt(attempt.durationMs),
          response_status: attempt.responseStatus === null ? null : BigInt(attempt.responseStatus),
          error: attempt.error,
        });
        return true;
      },
      async findById(id) {
        const row = await db
          .selectFrom('callback_outbox')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        return row === undefined ? undefined : toOutbox(row);
      },
      async listByTransaction(transactionId) {
        const rows = await db
          .selectFrom('callback_outbox')
          .selectAll()
          .where('transaction_id', '=', transactionId)
          .orderBy('created_at_ms')
          .execute();
        return rows.map(toOutbox);
      },
      async list({ state, before, limit }) {
        let query = db
          .selectFrom('callback_outbox')
          .selectAll()
          .orderBy('created_at_ms', 'desc')
          .orderBy('id', 'desc')
          .limit(limit);
        if (state !== undefined) {
          query = query.where('state', '=', state);
        }
        if (before !== undefined) {
          query = query.where(createdBefore(before));
        }
        return (await query.execute()).map(toOutbox);
      },
      async requeue(id, nowMs) {
        const result = await db
          .updateTable('callback_outbox')
          .set({
            state: 'PENDING',
            next_attempt_at_ms: BigInt(nowMs),
            lease_owner: null,
            lease_until_ms: null,
          })
          .where('id', '=', id)
          // One a worker is sending now keeps its lease: cleared, another worker would send it at the same time
          // and the first one's attempt would go unrecorded. That delivery is the replay.
          .where((eb) =>
            eb.or([
              eb('state', '!=', 'PENDING'),
              eb('lease_until_ms', 'is', null),
              eb('lease_until_ms', '<', BigInt(nowMs)),
            ]),
          )
          .executeTakeFirst();
        if ((result.numUpdatedRows ?? 0n) > 0n) {
          return true;
        }
        const row = await db
          .selectFrom('callback_outbox')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        return row !== undefined;
      },
      async deleteFinishedBefore(beforeMs, limit) {
        const finished = db
          .selectFrom('callback_outbox')
          .select('id')
          .where('state', 'in', ['DELIVERED', 'DEAD'])
          .where('next_attempt_at_ms', '<', BigInt(beforeMs))
          .limit(limit);
        // Locked until the deletes commit: a replay of one waits, then finds it gone; another server's sweep skips it.
        const ids = (await (rowLocks ? finished.forUpdate().skipLocked() : finished).execute()).map(
          (row) => row.id,
        );
        if (ids.length === 0) {
          return 0;
        }
        await db.deleteFrom('callback_attempts').where('outbox_id', 'in', inList(ids)).execute();
        await db.deleteFrom('callback_outbox').where('id', 'in', inList(ids)).execute();
        return ids.length;
      },
      async listAttemptsSince(sinceMs, limit) {
        const rows = await db
          .selectFrom('callback_attempts')
          .selectAll()
          .where('started_at_ms', '>=', BigInt(sinceMs))
          .orderBy('started_at_ms')
          .orderBy('id')
          .limit(limit)
          .execute();
        return rows.map(toCallbackAttempt);
      },
      async listAttempts(outboxIds) {
        if (outboxIds.length === 0) {
          return [];
        }
        const rows = await db
          .selectFrom('callback_attempts')
          .selectAll()
          .where('outbox_id', 'in', inList(outboxIds))
          .orderBy('outbox_id')
          .orderBy('id')
          .execute();
        return rows.map(toCallbackAttempt);
      },
      async nextDueAtMs() {
        const row = await db
          .selectFrom('callback_outbox')
          .select((eb) => eb.fn.min('next_attempt_at_ms').as('next'))
          .where('state', '=', 'PENDING')
          .executeTakeFirst();
        return row?.next === null || row?.next === undefined ? null : toNumber(row.next);
      },
    },

    secrets: {
      async find(name) {
        const row = await db
          .selectFrom('server_secrets')
          .select('value')
          .where('name', '=', name)
          .executeTakeFirst();
        return row?.value;
      },
      async insertIfAbsent(name, value) {
        const result = await db
          .insertInto('server_secrets')
          .values({ name, value })
          .onConflict((conflict) => conflict.column('name').doNothing())
          .executeTakeFirst();
        return inserted(result);
      },
    },

    authFailures: {
      async record(clientAddress, nowMs, windowMs) {
        const now = BigInt(nowMs);
        const row = await db
          .insertInto('auth_failures')
          .values({ client_address: clientAddress, failures: 1n, window_ends_at_ms: now + BigInt(windowMs) })
          .onConflict((conflict) =>
            conflict.column('client_address').doUpdateSet((eb) => {
              const ended = eb('auth_failures.window_ends_at_ms', '<=', now);
              return {
                failures: eb
                  .case()
                  .when(ended)
                  .then(1n)
                  .else(eb('auth_failures.failures', '+', 1n))
                  .end(),
                window_ends_at_ms: eb
                  .case()
                  .when(ended)
                  .then(eb.ref('excluded.window_ends_at_ms'))
                  .else(eb.ref('auth_failures.window_ends_at_ms'))
                  .end(),
              };
            }),
          )
          .returning(['failures', 'window_ends_at_ms'])
          .executeTakeFirstOrThrow();
        return { failures: toNumber(row.failures), windowEndsAtMs: toNumber(row.window_ends_at_ms) };
      },
      async deleteEnded(nowMs) {
        await db.deleteFrom('auth_failures').where('window_ends_at_ms', '<=', BigInt(nowMs)).execute();
      },
    },
  };
}

async function readLedgerAudit(db: Executor): Promise<LedgerAuditFigures> {
  const sumsByCurrency = (rows: { currency: string; total: bigint | string | number | null }[]) =>
    new Map(rows.map((row) => [row.currency, BigInt(row.total ?? 0)]));
  const entrySums = await db
    .selectFrom('ledger_entries')
    .select(['currency', (eb) => eb.fn.sum<bigint | string>('amount_minor').as('total')])
    .groupBy('currency')
    .execute();
  const balanceSums = await db
    .selectFrom('accounts')
    .select(['currency', (eb) => eb.fn.sum<bigint | string>('balance_minor').as('total')])
    .groupBy('currency')
    .execute();
  const unbalanced = await db
    .selectFrom('ledger_entries')
    .select('transfer_id')
    .groupBy('transfer_id')
    .having((eb) => eb.fn.sum('amount_minor'), '!=', 0)
    .orderBy('transfer_id')
    .execute();
  const disagreeing = await db
    .selectFrom('accounts')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('ledger_entries')
          .select(['account_id', (sum) => sum.fn.sum<bigint>('amount_minor').as('total')])
          .groupBy('account_id')
          .as('entry_sums'),
      (join) => join.onRef('entry_sums.account_id', '=', 'accounts.id'),
    )
    .select('accounts.id')
    .where((eb) => eb('accounts.balance_minor', '!=', eb.fn.coalesce('entry_sums.total', sql<bigint>`0`)))
    .orderBy('accounts.id')
    .execute();
  const negative = await db
    .selectFrom('accounts')
    .select('id')
    .where('allow_negative', '=', 0n)
    .where('balance_minor', '<', 0n)
    .orderBy('id')
    .execute();
  return {
    entrySumsByCurrency: sumsByCurrency(entrySums),
    balanceSumsByCurrency: sumsByCurrency(balanceSums),
    unbalancedTransferIds: unbalanced.map((row) => BigInt(row.transfer_id)),
    accountsWhoseBalanceDisagreesWithEntries: disagreeing.map((row) => row.id),
    negativeAccountsThatForbidIt: negative.map((row) => row.id),
  };
}

/**
 * The values of an `in (…)` list, each once, and padded to a power of two by repeating the last. Each length
 * is another SQL text, which PostgreSQL prepares on every pooled connection and SQLite's statement cache keeps:
 * lists of up to 500 would make 500 statements of one query, padded ones make ten.
 */
function inList(values: readonly string[]): string[] {
  const unique = [...new Set(values)];
  const padded = 2 ** Math.ceil(Math.log2(unique.length));
  return [...unique, ...Array<string>(padded - unique.length).fill(unique.at(-1) ?? '')];
}

/** Status reads in one query at most, and such queries under way at once (decision 0031). */
const REFERENCE_READ_BATCH_MAX = 64;
const REFERENCE_READS_IN_FLIGHT_MAX = 1;

/** A transaction's key in a batch of reads: an API user's X-Reference-Id. */
const referenceKey = (apiUserId: string, referenceId: string) => `${apiUserId} ${referenceId}`;

function batchedReferenceReads(hot: HotQueries, db: Executor) {
  const read = createReadBatcher<StoredTransactionRow>({
    maxInFlight: REFERENCE_READS_IN_FLIGHT_MAX,
    maxBatch: REFERENCE_READ_BATCH_MAX,
    async read(keys) {
      const apiUserIds = keys.map((key) => key.slice(0, key.indexOf(' ')));
      const referenceIds = keys.map((key) => key.slice(key.indexOf(' ') + 1));
      const { rows } = await hot.transactionsByReferences.run(db, { apiUserIds, referenceIds });
      return new Map(rows.map((row) => [referenceKey(row.api_user_id, row.reference_id), row]));
    },
  });
  return (apiUserId: string, referenceId: string) => read(referenceKey(apiUserId, referenceId));
}

/**
 * Balance increments held back until the transaction's end, or until it next reads an account (decision
 * 0033). An increment locks its row until the commit on PostgreSQL, and every settlement of a partner's
 * collections increments the same row: made at once, that lock was held through the settlement's later
 * writes, and the partner's settlements queued behind it, each holding a pooled connection. Held back, the row
 * is locked for the last statements and the commit only. Applied in account id order, as `lockByIds` locks.
 */
interface HeldIncrements {
  hold(accountId: string, deltaMinor: bigint): void;
  /** Applies what is held; a read of an account must see it. */
  apply(): Promise<void>;
}

function holdIncrements(hot: HotQueries, executor: Executor): HeldIncrements {
  const held = new Map<string, bigint>();
  async function applyHeld(): Promise<void> {
    if (held.size === 0) {
      return;
    }
    const increments = [...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    held.clear();
    for (const [id, deltaMinor] of increments) {
      if (deltaMinor !== 0n) {
        await hot.addToBalance.run(executor, { id, deltaMinor });
      }
    }
  }
  // Reads started together (a posting reads both its accounts at once) each wait for every update before
  // them: a second read must not go out while the first one's updates are still being written.
  let applying: Promise<void> = Promise.resolve();
  return {
    hold(accountId, deltaMinor) {
      held.set(accountId, (held.get(accountId) ?? 0n) + deltaMinor);
    },
    apply() {
      applying = applying.then(applyHeld);
      return applying;
    },
  };
}

/** Calls sharing one commit at most, on engines that commit in groups. */
const GROUP_SIZE_MAX = 32;

export function createKyselyStore(dialect: StoreDialect): Store {
  const { db } = dialect;
  const hot = compileHotQueries(db, dialect.rowLocks);
  const cache = createTransactionCache(
    dialect.othersCommits === undefined ? {} : { othersCommits: dialect.othersCommits },
  );
  // One query per read; inside a transaction always, since its reads must run on its connection.
  const readOneOn = (executor: Executor) => async (apiUserId: string, referenceId: string) =>
    (await hot.transactionByReference.run(executor, { apiUserId, referenceId })).rows[0];
  const readByReference = dialect.readsInBatches ? batchedReferenceReads(hot, db) : readOneOn(db);
  const bind = (executor: Executor, heldIncrements?: HeldIncrements) =>
    repositoriesOf(executor, dialect.rowLocks, hot, cache, true, readOneOn(executor), heldIncrements);
  const untilDurable = dialect.durability?.untilDurable;

  async function transactionOfItsOwn<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute(async (tx) => {
          const heldIncrements = dialect.rowLocks ? holdIncrements(hot, tx) : undefined;
          const result = await work(bind(tx, heldIncrements));
          await heldIncrements?.apply();
          return result;
        });
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS_MAX || !dialect.isRetryable(error)) {
          throw error;
        }
        // Jittered, growing pause so the transactions that collided do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  return {
    ...repositoriesOf(db, dialect.rowLocks, hot, cache, false, readByReference),
    findTransactionInMemory: (apiUserId, referenceId) => cache.find(apiUserId, referenceId),
    dialect: dialect.name,
    ...(dialect.changeFeed === undefined ? {} : { changeFeed: dialect.changeFeed }),
    transaction: dialect.commitsInGroups
      ? createGroupCommit(db, bind, {
          maxGroupSize: GROUP_SIZE_MAX,
          attemptsMax: TRANSACTION_ATTEMPTS_MAX,
          isRetryable: dialect.isRetryable,
          ...(untilDurable === undefined ? {} : { untilDurable }),
        })
      : transactionOfItsOwn,
    untilDurable: untilDurable ?? (() => undefined),
    auditLedger: () =>
      // Repeatable read gives PostgreSQL one snapshot for every statement; SQLite's transactions always have one.
      db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((tx) => readLedgerAudit(tx)),
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: migrationProvider(dialect.migrationContext),
        ...(dialect.migrationTableSchema === undefined
          ? {}
          : { migrationTableSchema: dialect.migrationTableSchema }),
      });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) {
        throw error;
      }
    },
    isUnavailableError: (error) => dialect.isUnavailable(error),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      try {
        // A write outside a transaction may not be flushed yet (`openmomo migrate`, which writes and exits).
        await untilDurable?.();
      } finally {
        await db.destroy();
        await dialect.durability?.close();
      }
    },
  };
}

/**
 * The rows of a newest-first listing that come after `cursor`. A row value compares (created_at_ms, id) in
 * the order of the listing indexes, so both engines seek the index instead of filtering the rows where one
 * leads with the listing's filter (none, a status or state, an API user: migration 0004); a product or a
 * party filters the rows as the creation index is walked.
 */
function createdBefore({ createdAtMs, id }: ListCursor) {
  return id === undefined
    ? sql<boolean>`created_at_ms < ${BigInt(createdAtMs)}`
    : sql<boolean>`(created_at_ms, id) < (${BigInt(createdAtMs)}, ${id})`;
}
