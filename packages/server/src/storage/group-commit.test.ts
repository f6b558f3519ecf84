import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { createGroupCommit, type GroupCommitOptions } from './group-commit.js';

interface TestDatabase {
  owners: { id: string };
  notes: { id: string; owner_id: string };
}

class RetryMe extends Error {}

let connection: BetterSqlite3.Database;
let db: Kysely<TestDatabase>;
/** COMMIT statements run, whether they succeeded or not. */
let commits: number;

beforeEach(async () => {
  connection = new BetterSqlite3(freshTestDatabase('sqlite').databaseUrl);
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.exec(`
    create table owners (id text primary key);
    create table notes (
      id text primary key,
      owner_id text not null references owners (id) deferrable initially deferred
    );`);
  commits = 0;
  db = new Kysely<TestDatabase>({
    dialect: new SqliteDialect({ database: connection }),
    log: (event) => {
      if (event.query.sql === 'commit') {
        commits++;
      }
    },
  });
});

afterEach(async () => {
  await db.destroy();
});

function groupCommit(options: Partial<GroupCommitOptions> = {}) {
  return createGroupCommit(db, (tx) => tx, {
    maxGroupSize: 64,
    attemptsMax: 3,
    isRetryable: (error) => error instanceof RetryMe,
    ...options,
  });
}

const insertOwner = (tx: Kysely<TestDatabase>, id: string) =>
  tx.insertInto('owners').values({ id }).execute();

async function ownerIds(): Promise<string[]> {
  const rows = await db.selectFrom('owners').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

describe('group commit', () => {
  it('commits calls made together with one COMMIT', async () => {
    const transaction = groupCommit();

    await Promise.all(['a', 'b', 'c', 'd'].map((id) => transaction((tx) => insertOwner(tx, id))));

    expect(commits).toBe(1);
    expect(await ownerIds()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives each call the value its work returned', async () => {
    const transaction = groupCommit();

    const values = await Promise.all([1, 2, 3].map((n) => transaction(async () => n * 10)));

    expect(values).toEqual([10, 20, 30]);
  });

  it('splits more calls than the group size into several commits', async () => {
    const transaction = groupCommit({ maxGroupSize: 2 });

    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => transaction((tx) => insertOwner(tx, id))));

    expect(commits).toBe(3);
    expect(await ownerIds()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('undoes only the writes of a call that throws, and rejects that call alone', async () => {
    const transaction = groupCommit();

    const results = await Promise.allSettled([
      transaction((tx) => insertOwner(tx, 'a')),
      transaction(async (tx) => {
        await insertOwner(tx, 'b');
        throw new Error('refused');
      }),
      transaction((tx) => insertOwner(tx, 'c')),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await ownerIds()).toEqual(['a', 'c']);
  });

  it('runs the calls of a group in order, each seeing the writes of those before it', async () => {
    const transaction = groupCommit();

    const [, seen] = await Promise.all([
      transaction((tx) => insertOwner(tx, 'first')),
      transaction(async (tx) => (await tx.selectFrom('owners').select('id').execute()).map((row) => row.id)),
    ]);

    expect(seen).toEqual(['first']);
  });

  it('fails every call of a group whose commit fails, and keeps none of their writes', async () => {
    const transaction = groupCommit();

    // The foreign key is checked at COMMIT: the last call's orphan note makes the whole commit fail.
    const results = await Promise.allSettled([
      transaction((tx) => insertOwner(tx, 'a')),
      transaction((tx) => tx.insertInto('notes').values({ id: 'n', owner_id: 'nobody' }).execute()),
    ]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await ownerIds()).toEqual([]);
    expect(commits).toBe(1);
  });

  it('reports no outcome before the commit, so a call that saw a failed commit fails too', async () => {
    const transaction = groupCommit();

    const results = await Promise.allSettled([
      transaction((tx) => insertOwner(tx, 'a')),
      transaction(async () => 'decided on what the first call wrote'),
      transaction((tx) => tx.insertInto('notes').values({ id: 'n', owner_id: 'nobody' }).execute()),
    ]);

    expect(results[1]?.status).toBe('rejected');
  });

  it('runs a call again after a retryable error, in a later group', async () => {
    const transaction = groupCommit();
    let runs = 0;

    const value = await transaction(async (tx) => {
      runs++;
      await insertOwner(tx, `attempt-${runs}`);
      if (runs === 1) {
        throw new RetryMe();
      }
      return runs;
    });

    expect(value).toBe(2);
    expect(await ownerIds()).toEqual(['attempt-2']);
  });

  it('surfaces a retryable error once the attempts are used up', async () => {
    const transaction = groupCommit({ attemptsMax: 3 });
    let runs = 0;

    const outcome = transaction(async () => {
      runs++;
      throw new RetryMe();
    });

    await expect(outcome).rejects.toBeInstanceOf(RetryMe);
    expect(runs).toBe(3);
  });

  it('runs every call of a group again when the shared commit fails with a retryable error', async () => {
    const transaction = groupCommit({
      isRetryable: (error) => (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
    let ownerRuns = 0;
    let noteRuns = 0;

    await Promise.all([
      transaction(async (tx) => {
        ownerRuns++;
        await insertOwner(tx, 'a');
      }),
      transaction(async (tx) => {
        noteRuns++;
        if (noteRuns === 1) {
          await tx.insertInto('notes').values({ id: 'n', owner_id: 'nobody' }).execute();
        }
      }),
    ]);

    expect([ownerRuns, noteRuns]).toEqual([2, 2]);
    expect(await ownerIds()).toEqual(['a']);
  });

  it('fails the group with the error of a call after which the engine rolled everything back', async () => {
    const transaction = groupCommit();
    const diskFull = new Error('disk full');

    const results = await Promise.allSettled([
      transaction((tx) => insertOwner(tx, 'a')),
      transaction(async (tx) => {
        // What SQLite does on SQLITE_FULL or SQLITE_IOERR: the whole transaction is gone, savepoints too.
        await sql`rollback`.execute(tx);
        throw diskFull;
      }),
    ]);

    expect(results).toEqual([
      { status: 'rejected', reason: diskFull },
      { status: 'rejected', reason: diskFull },
    ]);
    expect(await ownerIds()).toEqual([]);
  });

  it('settles a call that rejects with no error at all, and goes on with the next', async () => {
    // A predicate that, like the dialects' before they were fixed, throws on a missing error.
    const transaction = groupCommit({
      isRetryable: (error) => (error as { code?: unknown }).code === 'BUSY',
    });

    const outcome = await transaction(() => Promise.reject(undefined)).then(
      () => 'resolved',
      () => 'rejected',
    );
    await transaction((tx) => insertOwner(tx, 'after'));

    expect(outcome).toBe('rejected');
    expect(await ownerIds()).toEqual(['after']);
  });

  it('takes calls made while a group runs into the next group', async () => {
    const transaction = groupCommit();
    let later: Promise<unknown> | undefined;

    await transaction(async (tx) => {
      await insertOwner(tx, 'a');
      later = transaction((next) => insertOwner(next, 'b'));
    });
    await later;

    expect(commits).toBe(2);
    expect(await ownerIds()).toEqual(['a', 'b']);
  });

  it('settles a group only once its commit is durable, and commits the next group meanwhile', async () => {
    let flushFirst: () => void = () => undefined;
    const firstFlush = new Promise<void>((resolve) => {
      flushFirst = resolve;
    });
    const flushes = [firstFlush, Promise.resolve()];
    const transaction = groupCommit({ untilDurable: () => flushes.shift() });
    let firstSettled = false;

    const first = transaction((tx) => insertOwner(tx, 'a')).then(() => {
      firstSettled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await transaction((tx) => insertOwner(tx, 'b'));

    expect(commits).toBe(2);
    expect(firstSettled).toBe(false);
    flushFirst();
    await first;
    expect(firstSettled).toBe(true);
  });

  it('fails every call of a group whose flush fails, the calls that failed on their own too', async () => {
    const flushError = new Error('EIO');
    const transaction = groupCommit({ untilDurable: () => Promise.reject(flushError) });

    const results = await Promise.allSettled([
      transaction((tx) => insertOwner(tx, 'a')),
      transaction(async () => {
        throw new Error('refused');
      }),
    ]);

    expect(results).toEqual([
      { status: 'rejected', reason: flushError },
      { status: 'rejected', reason: flushError },
    ]);
  });

  it('runs a call again after a retryable error though its group settled after a flush', async () => {
    const transaction = groupCommit({
      untilDurable: () => new Promise((resolve) => setTimeout(resolve, 10)),
    });
    let runs = 0;

    await transaction(async (tx) => {
      runs++;
      await insertOwner(tx, `owner-${runs}`);
      if (runs === 1) {
        throw new RetryMe();
      }
    });

    expect(runs).toBe(2);
    expect(await ownerIds()).toEqual(['owner-2']);
  });

  it('leaves the connection usable outside a group after a failed group', async () => {
    const transaction = groupCommit();
    await transaction((tx) => tx.insertInto('notes').values({ id: 'n', owner_id: 'nobody' }).execute()).catch(
      () => undefined,
    );

    await insertOwner(db, 'after');

    expect(await ownerIds()).toEqual(['after']);
  });

  it('ends with exactly the writes of the calls that succeeded, however calls and failures interleave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ writes: fc.integer({ min: 0, max: 3 }), throws: fc.boolean() }), {
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 8 }),
        async (calls, maxGroupSize) => {
          await db.deleteFrom('owners').execute();
          const transaction = groupCommit({ maxGroupSize });
          const idsOf = (index: number, writes: number) =>
            Array.from({ length: writes }, (_, write) => `${String(index).padStart(2, '0')}-${write}`);

          const results = await Promise.allSettled(
            calls.map((call, index) =>
              transaction(async (tx) => {
                for (const id of idsOf(index, call.writes)) {
                  await insertOwner(tx, id);
                }
                if (call.throws) {
                  throw new Error(`call ${index} refused`);
                }
                return index;
              }),
            ),
          );

          expect(results.map((result) => result.status)).toEqual(
            calls.map((call) => (call.throws ? 'rejected' : 'fulfilled')),
          );
          const expected = calls.flatMap((call, index) => (call.throws ? [] : idsOf(index, call.writes)));
          expect(await ownerIds()).toEqual(expected.sort());
        },
      ),
      { numRuns: 50 },
    );
  });
});
