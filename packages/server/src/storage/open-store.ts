/** Opens the store a DATABASE_URL names: `postgres://…` for PostgreSQL, a path or a `file:` URL for SQLite. */
import { databaseLocationOf } from './database-url.js';
import type { QueryObserver } from './dialects/dialect.js';
import { createPostgresDialect } from './dialects/postgres.js';
import { createSqliteDialect } from './dialects/sqlite.js';
import { createKyselyStore } from './kysely-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  readonly databaseUrl: string;
  /** PostgreSQL only: use (and create) this schema; tests isolate themselves with one schema per file. */
  readonly postgresSchema?: string;
  /** PostgreSQL only: name statements so each connection prepares them once (default); see postgres.ts. */
  readonly postgresPreparedStatements?: boolean;
  /** PostgreSQL only: connections the store opens at most (default 10). */
  readonly postgresPoolSize?: number;
  /** Sees every statement the store runs (tests check their query plans). */
  readonly onQuery?: QueryObserver;
}

/** Opens the store and brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const location = databaseLocationOf(options.databaseUrl);
  if (location === undefined) {
    throw new Error('DATABASE_URL names neither a PostgreSQL database (postgres://…) nor a SQLite file');
  }
  const dialect =
    location.engine === 'postgres'
      ? await createPostgresDialect({
          connectionString: options.databaseUrl,
          ...(options.postgresSchema === undefined ? {} : { schema: options.postgresSchema }),
          ...(options.postgresPreparedStatements === undefined
            ? {}
            : { preparedStatements: options.postgresPreparedStatements }),
          ...(options.postgresPoolSize === undefined ? {} : { poolSize: options.postgresPoolSize }),
          ...(options.onQuery === undefined ? {} : { onQuery: options.onQuery }),
        })
      : createSqliteDialect(location.file, options.onQuery === undefined ? {} : { onQuery: options.onQuery });
  const store = createKyselyStore(dialect);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
