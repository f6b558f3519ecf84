/** What differs between the engines, and nothing else. */
import type { CompiledQuery, Kysely, KyselyConfig } from 'kysely';
import type { Database } from '../database-schema.js';
import type { MigrationContext } from '../migrations/index.js';
import type { ChangeFeed, StoreDialectName } from '../store.js';

export interface StoreDialect {
  readonly name: StoreDialectName;
  readonly db: Kysely<Database>;
  readonly migrationContext: MigrationContext;
  /** PostgreSQL locks rows (FOR UPDATE … SKIP LOCKED); SQLite has one writer at a time and needs none. */
  readonly rowLocks: boolean;
  /**
   * True where one connection does all the writing (SQLite): concurrent transactions then share one commit
   * (group-commit.ts). PostgreSQL runs them side by side on its pool and coalesces their WAL flushes itself.
   */
  readonly commitsInGroups: boolean;
  /**
   * A number that changes whenever another connection commits (SQLite's `PRAGMA data_version`), read without
   * waiting for this store's queue. Only for an engine on one connection, whose transactions nothing reads
   * before they commit: its store then keeps PENDING transactions in memory too (transaction-cache.ts).
   */
  readonly othersCommits?: () => bigint;
  /**
   * Status reads that arrive together share one query (decision 0031): where each query is a round trip to a
   * server (PostgreSQL), and the engine takes arrays as parameters. SQLite answers in-process, from memory.
   */
  readonly readsInBatches: boolean;
  /** True for errors after which running the same transaction again may succeed (deadlock, conflict, busy). */
  readonly isRetryable: (error: unknown) => boolean;
  /** True for errors that mean the engine is down, unreachable or out of room: answered 503, not 500. */
  readonly isUnavailable: (error: unknown) => boolean;
  /** Where the migration bookkeeping tables live; PostgreSQL needs it named, or another schema's are found. */
  readonly migrationTableSchema?: string;
  /**
   * Where commits are flushed to disk apart from the commit itself (SQLite, decision 0027): `untilDurable` is
   * undefined when every commit so far is on disk, or else resolves once they are. Absent where each commit is
   * durable when it returns (PostgreSQL).
   */
  readonly durability?: {
    readonly untilDurable: () => Promise<void> | undefined;
    readonly close: () => Promise<void>;
  };
  /** Messages between the servers on the database, where several can share it. */
  readonly changeFeed?: ChangeFeed;
}

/** Sees every statement a store runs, with its values (the query-plan test explains each one). */
export type QueryObserver = (query: CompiledQuery) => void;

/** Kysely's `log` option for an observer, or nothing: without one no statement pays for being observed. */
export function observing(onQuery: QueryObserver | undefined): Pick<KyselyConfig, 'log'> {
  return onQuery === undefined
    ? {}
    : {
        log: (event) => {
          if (event.level === 'query') {
            onQuery(event.query);
          }
        },
      };
}
