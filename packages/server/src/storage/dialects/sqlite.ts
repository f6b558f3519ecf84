/** SQLite through better-sqlite3: the embedded default, one file, no setup. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { observing, type QueryObserver, type StoreDialect } from './dialect.js';
import { type Flusher, openWriteAheadLogFlusher } from './flusher.js';

/** Locked by another process, out of disk, or failing I/O: the file is there but cannot take the write now. */
export function isSqliteUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/.test(code);
}

/** Statements compiled once per SQL text; the cache stops growing at this size (queries are a fixed set). */
const STATEMENT_CACHE_MAX = 500;

/** What a cached statement is about to do, told before it runs. */
interface StatementObserver {
  /**
   * `writes`: it may change the database (SQLite counts COMMIT as reading); `rollsBack`: it ends a
   * transaction, or part of one, by undoing it.
   */
  beforeStatement(writes: boolean, rollsBack: boolean): void;
  /** It changed the database: a row, or the schema. */
  changed(): void;
}

/** The parts of a better-sqlite3 statement Kysely's SQLite driver calls. */
type DriverStatement = Pick<BetterSqlite3.Statement, 'reader' | 'all' | 'run' | 'iterate'>;

/**
 * An INSERT, UPDATE or DELETE that matched no row changed nothing, so nothing needs flushing for it: the
 * workers' polls are such statements, and an idle server would otherwise flush the log at every poll. Other
 * writes (CREATE, ALTER, …) always count as changes.
 */
function tellingChanges(statement: BetterSqlite3.Statement, changed: () => void): DriverStatement {
  if (!/^\s*(insert|update|delete|replace|with)\b/i.test(statement.source)) {
    return {
      reader: statement.reader,
      all: (...parameters: unknown[]) => {
        changed();
        return statement.all(...parameters);
      },
      run: (...parameters: unknown[]) => {
        changed();
        return statement.run(...parameters);
      },
      iterate: (...parameters: unknown[]) => statement.iterate(...parameters),
    };
  }
  return {
    reader: statement.reader,
    // With RETURNING, each row returned is a row changed.
    all: (...parameters: unknown[]) => {
      const rows = statement.all(...parameters);
      if (rows.length > 0) {
        changed();
      }
      return rows;
    },
    run: (...parameters: unknown[]) => {
      const result = statement.run(...parameters);
      if (result.changes > 0) {
        changed();
      }
      return result;
    },
    iterate: (...parameters: unknown[]) => statement.iterate(...parameters),
  };
}

/**
 * Kysely prepares every query anew; preparing is most of a simple query's cost in better-sqlite3. The
 * application issues a fixed set of SQL texts, so each is compiled once. Statements run synchronously, one at
 * a time on this connection, so sharing one between calls is safe. `observer` hears of each statement before it
 * runs, and of each change it made.
 */
function cachingStatements(
  connection: BetterSqlite3.Database,
  observer: StatementObserver,
): BetterSqlite3.Database {
  const prepare = connection.prepare.bind(connection);
  const changed = () => observer.changed();
  const statements = new Map<string, { statement: DriverStatement; writes: boolean; rollsBack: boolean }>();
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) => {
        let cached = statements.get(sql);
        if (cached === undefined) {
          const prepared = prepare(sql);
          const writes = !prepared.readonly;
          cached = {
            statement: writes ? tellingChanges(prepared, changed) : prepared,
            writes,
            rollsBack: /^\s*rollback\b/i.test(sql),
          };
          if (statements.size < STATEMENT_CACHE_MAX) {
            statements.set(sql, cached);
          }
        }
        observer.beforeStatement(cached.writes, cached.rollsBack);
        return cached.statement;
      };
    },
  });
}

/**
 * Counts the commits `flusher` must put on disk (decision 0027). This connection's: every statement runs
 * synchronously, so changes made since the last count, with the connection now outside a transaction, were
 * committed (or rolled back, which costs only a needless flush). Other processes' on the same file, as
 * `othersCommits` sees them: flushing the shared log covers theirs too, before this server tells of them.
 */
function countingCommits(connection: BetterSqlite3.Database, flusher: Flusher, othersCommits: () => bigint) {
  let changedUncounted = false;
  let othersCounted = othersCommits();
  // Only a statement can have read what another process committed: until one runs, there is nothing new of
  // theirs that an answer could rest on.
  let readSinceOthersCounted = false;
  const countCommit = () => {
    if (changedUncounted && !connection.inTransaction) {
      changedUncounted = false;
      flusher.committed();
    }
  };
  return {
    beforeStatement(writes: boolean, rollsBack: boolean) {
      countCommit();
      readSinceOthersCounted = true;
      // After a failed flush nothing more is written, and a transaction under way may only roll back: what is
      // on disk is unknown.
      if (writes || (connection.inTransaction && !rollsBack)) {
        flusher.assertWritable();
      }
    },
    changed() {
      changedUncounted = true;
    },
    untilDurable() {
      countCommit();
      if (readSinceOthersCounted) {
        readSinceOthersCounted = false;
        const others = othersCommits();
        if (others !== othersCounted) {
          othersCounted = others;
          flusher.committed();
        }
      }
      return flusher.untilFlushed();
    },
    close: () => flusher.close(),
  };
}

export interface SqliteDialectOptions {
  readonly onQuery?: QueryObserver;
  /** Opens what flushes the write-ahead log of `databaseFile`; tests give one whose disk fails. */
  readonly openFlusher?: (databaseFile: string) => Flusher | undefined;
}

export function createSqliteDialect(
  filePath: string,
  { onQuery, openFlusher = openWriteAheadLogFlusher }: SqliteDialectOptions = {},
): StoreDialect {
  if (filePath !== ':memory:') {
    mkdirSync(dirname(filePath), { recursive: true });
  }
  const connection = new BetterSqlite3(filePath);
  // Amounts are bigint minor units: every integer reads back as bigint, never a rounded double.
  connection.defaultSafeIntegers(true);
  // Another process on the file may hold a lock for a moment, even during these first statements.
  connection.pragma('busy_timeout = 5000');
  const journalMode: unknown = connection.pragma('journal_mode = WAL', { simple: true });
  // A first read opens the write-ahead log (creating it); SQLite keeps it next to the file it really opened.
  connection.prepare('select count(*) from sqlite_master').get();
  const [main] = connection.pragma('database_list') as { file: string }[];
  // With a write-ahead log, NORMAL: SQLite writes each commit to the log without flushing it, and the store
  // flushes it off the event loop before anything that rests on it leaves the server. Without one (memory, a
  // file system that refuses it, a log that cannot be opened), FULL: SQLite flushes each commit itself. Either
  // way a 202 survives power loss.
  const flusher =
    journalMode === 'wal' && main !== undefined && main.file !== '' ? openFlusher(main.file) : undefined;
  connection.pragma(flusher === undefined ? 'synchronous = FULL' : 'synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  // A statement's temporary b-tree (RETURNING's rows, an UPDATE's IN list) gets a page cache of its own. In a
  // temporary file's, setting it up faulted fresh memory in at every statement: an insert of a request to
  // pay took 80 µs instead of 35 on this machine (decision 0028).
  connection.pragma('temp_store = MEMORY');
  const dataVersion = connection.prepare('PRAGMA data_version').pluck();
  let dataVersionThisTurn: bigint | undefined;
  const othersCommits = () => {
    if (dataVersionThisTurn === undefined) {
      dataVersionThisTurn = dataVersion.get() as bigint;
      setImmediate(() => {
        dataVersionThisTurn = undefined;
      });
    }
    return dataVersionThisTurn;
  };
  const durability = flusher === undefined ? undefined : countingCommits(connection, flusher, othersCommits);
  const observer: StatementObserver = {
    beforeStatement(writes, rollsBack) {
      // A statement may read what another process committed after the version was taken: take it again.
      dataVersionThisTurn = undefined;
      durability?.beforeStatement(writes, rollsBack);
    },
    changed: () => durability?.changed(),
  };
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(connection, observer) }),
    ...observing(onQuery),
  });
  return {
    name: 'sqlite',
    db,
    rowLocks: false,
    readsInBatches: false,
    commitsInGroups: true,
    ...(durability === undefined ? {} : { durability }),
    // Another server or a CLI on the same file commits through its own connection; this one's count moves then.
    othersCommits,
    isUnavailable: isSqliteUnavailable,
    // Only another process on the same file (a CLI, a second server) can make SQLite busy.
    isRetryable: (error) => (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY',
    migrationContext: {
      identityColumn: { type: 'integer', build: (column) => column.primaryKey().autoIncrement() },
    },
  };
}
