import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileOnce } from './compiled-query.js';

interface TestDatabase {
  items: { id: string; state: string; size: number };
}

let db: Kysely<TestDatabase>;

beforeEach(async () => {
  db = new Kysely<TestDatabase>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('state', 'text')
    .addColumn('size', 'integer')
    .execute();
  await db
    .insertInto('items')
    .values([
      { id: 'a', state: 'OPEN', size: 1 },
      { id: 'b', state: 'OPEN', size: 2 },
      { id: 'c', state: 'SHUT', size: 2 },
    ])
    .execute();
});

afterEach(async () => {
  await db.destroy();
});

describe('compileOnce', () => {
  it('runs the query with each call’s own values in the placeholders', async () => {
    const itemById = compileOnce((values: { id: string }) =>
      db.selectFrom('items').select('id').where('id', '=', values.id),
    );

    const first = await itemById.run(db, { id: 'a' });
    const second = await itemById.run(db, { id: 'c' });

    expect(first.rows).toEqual([{ id: 'a' }]);
    expect(second.rows).toEqual([{ id: 'c' }]);
  });

  it('keeps the values written into the query itself, beside the placeholders', async () => {
    const openOfSize = compileOnce((values: { size: number }) =>
      db.selectFrom('items').select('id').where('state', '=', 'OPEN').where('size', '=', values.size),
    );

    const { rows } = await openOfSize.run(db, { size: 2 });

    expect(rows).toEqual([{ id: 'b' }]);
  });

  it('places a value used twice in both places', async () => {
    const sizeBetween = compileOnce((values: { size: number }) =>
      db.selectFrom('items').select('id').where('size', '>=', values.size).where('size', '<=', values.size),
    );

    const { rows } = await sizeBetween.run(db, { size: 1 });

    expect(rows).toEqual([{ id: 'a' }]);
  });

  it('inserts whole rows passed as the values, a placeholder for each key the first row has', async () => {
    const insertItem = compileOnce((values: TestDatabase['items']) => db.insertInto('items').values(values));

    await insertItem.run(db, { id: 'd', state: 'OPEN', size: 4 });
    await insertItem.run(db, { size: 5, state: 'SHUT', id: 'e' });

    const rows = await db
      .selectFrom('items')
      .selectAll()
      .where('id', 'in', ['d', 'e'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'd', state: 'OPEN', size: 4 },
      { id: 'e', state: 'SHUT', size: 5 },
    ]);
  });

  it('builds the query once, however often it runs', async () => {
    let builds = 0;
    const itemById = compileOnce((values: { id: string }) => {
      builds++;
      return db.selectFrom('items').select('id').where('id', '=', values.id);
    });

    for (const id of ['a', 'b', 'c']) {
      await itemById.run(db, { id });
    }

    expect(builds).toBe(1);
  });

  it('runs inside a transaction, and its writes roll back with it', async () => {
    const resize = compileOnce((values: { id: string; size: number }) =>
      db.updateTable('items').set({ size: values.size }).where('id', '=', values.id),
    );

    await db
      .transaction()
      .execute(async (tx) => {
        const result = await resize.run(tx, { id: 'a', size: 9 });
        expect(result.numAffectedRows).toBe(1n);
        throw new Error('roll back');
      })
      .catch(() => undefined);

    const row = await db.selectFrom('items').select('size').where('id', '=', 'a').executeTakeFirst();
    expect(row?.size).toBe(1);
  });
});
