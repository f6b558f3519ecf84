import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freshTestDatabase, runSqlBehindTheServer } from '../../../test/support/engines.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';

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
  it('resolves a transaction only once its commit is flushed', async () => {
    const fileStore = await openFileStore();

    await fileStore.transaction((tx) => tx.partners.insert(partner('p1')));

    expect(fileStore.untilDurable()).toBeUndefined();
  });

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

  it("waits for a flush when another process's commit was seen", async () => {
    const database = freshTestDatabase('sqlite');
    store = await openStore({ databaseUrl: database.databaseUrl });
    await store.untilDurable();
    await new Promise((resolve) => setImmediate(resolve));

    await runSqlBehindTheServer(
      database,
      "insert into partners (id, name, created_at_ms) values ('p9', 'Other', 1)",
    );

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

describe('a SQLite store in memory', () => {
  it('has nothing to flush', async () => {
    store = await openStore({ databaseUrl: ':memory:' });

    await store.partners.insert(partner('p1'));

    expect(store.untilDurable()).toBeUndefined();
  });
});
