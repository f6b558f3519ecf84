import { afterEach, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../../test/support/engines.js';
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

  it('counts a write outside a transaction made just before a transaction begins', async () => {
    const fileStore = await openFileStore();

    const outside = fileStore.partners.insert(partner('p1'));
    const inside = fileStore.transaction((tx) => tx.partners.insert(partner('p2')));
    await Promise.all([outside, inside]);
    const flushed = fileStore.untilDurable();
    await flushed;

    expect(fileStore.untilDurable()).toBeUndefined();
    expect(await fileStore.partners.findById('p1')).toMatchObject({ id: 'p1' });
  });
});

describe('a SQLite store in memory', () => {
  it('has nothing to flush', async () => {
    store = await openStore({ databaseUrl: ':memory:' });

    await store.partners.insert(partner('p1'));

    expect(store.untilDurable()).toBeUndefined();
  });
});
