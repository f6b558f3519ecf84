import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { freshTestDatabase, runSqlBehindTheServer } from '../../../test/support/engines.js';
import { createKyselyStore } from '../kysely-store.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { createFlusher, FlushFailedError } from './flusher.js';
import { createSqliteDialect } from './sqlite.js';

let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function openFileStore(): Promise<Store> {
  store = await openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl });
  // Migrations wrote outside the store's own transactions.
  await store.untilDurable();
  return store;
}

const partner = (id: string) => ({ id, name: `Partner ${id}`, createdAtMs: 1 });

describe('a SQLite file store flushing commits off the event loop', () => {
  it('has a write outside a transaction wait for a flush before anything rests on it', async () => {
    const fileStore = await openFileStore();

    await fileStore.partners.insert(partner('p1'));
    const flushed = fileStore.untilDurable();

    expect(flushed).toBeInstanceOf(Promise);
    await flushed;
    expect(fileStore.untilDurable()).toBeUndefined();
  });

  it('has nothing to flush after reads alone', async () => {
    const fileStore = await openFileStore();

    await fileStore.partners.findById('p1');

    expect(fileStore.untilDurable()).toBeUndefined();
  });

  it('counts a write outside a transaction once a transaction begins after it', async () => {
    const fileStore = await openFileStore();
    await fileStore.partners.insert(partner('p1'));
    let finish: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });

    const open = fileStore.transaction(async (tx) => {
      await tx.partners.findById('p1');
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const flushed = fileStore.untilDurable();
    finish();
    await open;

    expect(flushed).toBeInstanceOf(Promise);
  });

  /** A file store with nothing left to flush, whose file another process has since written partner p9 to. */
  async function storeAfterAnotherProcessCommitted(): Promise<Store> {
    const database = freshTestDatabase('sqlite');
    const fileStore = await openStore({ databaseUrl: database.databaseUrl });
    store = fileStore;
    await fileStore.untilDurable();
    await new Promise((resolve) => setImmediate(resolve));
    await runSqlBehindTheServer(
      database,
      "insert into partners (id, name, created_at_ms) values ('p9', 'Other', 1)",
    );
    return fileStore;
  }

  it("waits for a flush when it read another process's commit", async () => {
    const fileStore = await storeAfterAnotherProcessCommitted();

    await fileStore.partners.findById('p9');

    expect(fileStore.untilDurable()).toBeInstanceOf(Promise);
  });

  it("has nothing to flush for another process's commit it has not read", async () => {
    const fileStore = await storeAfterAnotherProcessCommitted();

    // An answer from memory rests on nothing the other process wrote.
    expect(fileStore.untilDurable()).toBeUndefined();
  });

  it('has nothing to flush after a write that changed no row', async () => {
    const fileStore = await openFileStore();

    await fileStore.subscriptionKeys.bindProduct('no such key', 'collection');

    expect(fileStore.untilDurable()).toBeUndefined();
  });

  it('has nothing to flush after a write returning no row', async () => {
    const fileStore = await openFileStore();

    const claimed = await fileStore.outbox.claimDue({
      leaseOwner: 'w',
      nowMs: 1,
      leaseUntilMs: 2,
      limit: 10,
    });

    expect(claimed).toEqual([]);
    expect(fileStore.untilDurable()).toBeUndefined();
  });

  it('waits for a flush after a write returning the row it changed', async () => {
    const dialect = createSqliteDialect(freshTestDatabase('sqlite').databaseUrl);
    store = createKyselyStore(dialect);
    await store.migrate();
    await store.untilDurable();

    await dialect.db
      .insertInto('partners')
      .values({ id: 'p1', name: 'P', created_at_ms: 1n })
      .returningAll()
      .execute();

    expect(store.untilDurable()).toBeInstanceOf(Promise);
  });

  it('flushes the log next to the file a symbolic link leads to', async () => {
    const real = freshTestDatabase('sqlite').databaseUrl;
    const link = join(mkdtempSync(join(tmpdir(), 'openmomo-link-')), 'linked.db');
    new BetterSqlite3(real).close();
    symlinkSync(real, link);
    store = await openStore({ databaseUrl: link });

    await store.partners.insert(partner('p1'));
    const flushed = store.untilDurable();

    // A promise: the store flushes the log itself, rather than leaving it to SQLite for want of a log to open.
    expect(flushed).toBeInstanceOf(Promise);
    await flushed;
    expect(existsSync(`${link}-wal`)).toBe(false);
  });
});

describe('who flushes a SQLite file store', () => {
  const synchronousOf = async (dialect: ReturnType<typeof createSqliteDialect>) => {
    const { rows } = await sql<{ synchronous: bigint }>`pragma synchronous`.execute(dialect.db);
    return Number(rows[0]?.synchronous);
  };

  it('leaves commits unflushed by SQLite (NORMAL) when the store flushes its log', async () => {
    const dialect = createSqliteDialect(freshTestDatabase('sqlite').databaseUrl);
    store = createKyselyStore(dialect);

    expect(await synchronousOf(dialect)).toBe(1);
  });

  it('has SQLite flush every commit itself (FULL) when the log cannot be opened', async () => {
    const dialect = createSqliteDialect(freshTestDatabase('sqlite').databaseUrl, {
      openFlusher: () => undefined,
    });
    store = createKyselyStore(dialect);

    expect(await synchronousOf(dialect)).toBe(2);
    await store.migrate();
    await store.partners.insert(partner('p1'));
    expect(store.untilDurable()).toBeUndefined();
  });
});

describe("a SQLite store's temporary b-trees", () => {
  it('are kept in memory', async () => {
    const dialect = createSqliteDialect(freshTestDatabase('sqlite').databaseUrl);
    store = createKyselyStore(dialect);

    const { rows } = await sql<{ temp_store: bigint }>`pragma temp_store`.execute(dialect.db);

    expect(Number(rows[0]?.temp_store)).toBe(2);
  });
});

describe('a SQLite store in memory', () => {
  it('has nothing to flush', async () => {
    store = await openStore({ databaseUrl: ':memory:' });

    await store.partners.insert(partner('p1'));

    expect(store.untilDurable()).toBeUndefined();
  });
});

describe('a SQLite file store whose disk fails a flush', () => {
  async function openFailingStore(databaseUrl: string): Promise<Store> {
    const dialect = createSqliteDialect(databaseUrl, {
      openFlusher: () =>
        createFlusher(
          () => Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })),
          async () => undefined,
        ),
    });
    const failing = createKyselyStore(dialect);
    await failing.migrate();
    return failing;
  }
  let failing: Store | undefined;
  afterEach(async () => {
    // Closing says what could not be flushed, and closes all the same.
    await expect(failing?.close()).rejects.toBeInstanceOf(FlushFailedError);
    failing = undefined;
  });

  it('fails the transaction whose flush failed as the database being unavailable', async () => {
    failing = await openFailingStore(freshTestDatabase('sqlite').databaseUrl);

    const written = failing.transaction((tx) => tx.partners.insert(partner('p1')));

    await expect(written).rejects.toBeInstanceOf(FlushFailedError);
    expect(failing.isUnavailableError(await written.catch((error: unknown) => error))).toBe(true);
  });

  it('refuses every later write, so nothing more reaches the log', async () => {
    const database = freshTestDatabase('sqlite');
    failing = await openFailingStore(database.databaseUrl);
    await failing.transaction((tx) => tx.partners.insert(partner('p1'))).catch(() => undefined);

    await expect(failing.partners.insert(partner('p2'))).rejects.toBeInstanceOf(FlushFailedError);
    expect(await runSqlBehindTheServer(database, "select id from partners where id = 'p2'")).toEqual([]);
  });

  it('refuses to commit a transaction that wrote before a flush failed', async () => {
    const database = freshTestDatabase('sqlite');
    let failFlush: (error: Error) => void = () => undefined;
    const dialect = createSqliteDialect(database.databaseUrl, {
      openFlusher: () =>
        createFlusher(
          () =>
            new Promise<void>((_, reject) => {
              failFlush = reject;
            }),
          async () => undefined,
        ),
    });
    failing = createKyselyStore(dialect);
    await failing.migrate();
    const first = failing.transaction((tx) => tx.partners.insert(partner('p1')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    let finish: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const second = failing.transaction(async (tx) => {
      await tx.partners.insert(partner('p2'));
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));

    failFlush(new Error('EIO'));
    await first.catch(() => undefined);
    finish();

    await expect(second).rejects.toBeInstanceOf(FlushFailedError);
    expect(await runSqlBehindTheServer(database, "select id from partners where id = 'p2'")).toEqual([]);
  });
});
