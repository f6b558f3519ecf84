/** PostgreSQL through pg: the production engine. */
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../database-schema.js';
import type { ChangeFeed } from '../store.js';
import { observing, type QueryObserver, type StoreDialect } from './dialect.js';

// int8, int2 and int4 all read as bigint, as on SQLite with safe integers: one representation everywhere.
const INTEGER_TYPE_OIDS = [20, 21, 23] as const;
for (const oid of INTEGER_TYPE_OIDS) {
  pg.types.setTypeParser(oid, (text: string) => BigInt(text));
}

export interface PostgresOptions {
  readonly connectionString: string;
  /** A schema to create and use instead of `public`: how tests isolate themselves. */
  readonly schema?: string;
  readonly poolSize?: number;
  /**
   * Named prepared statements (default true). False behind a transaction-mode pooler that does not carry them
   * from one server connection to the next (PgBouncer before 1.21, or without max_prepared_statements).
   */
  readonly preparedStatements?: boolean;
  readonly onQuery?: QueryObserver;
}

/** serialization_failure and deadlock_detected: the engine aborted the transaction, not the request. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/**
 * A prepared `select *` whose table gained a column (a newer server migrated while this one ran): PostgreSQL
 * refuses to run it again on that connection. The statement is prepared afresh under a new name (see
 * `preparingStatements`), so running the transaction again succeeds.
 */
function isStalePreparedPlan(error: unknown): boolean {
  const failure = error as { code?: unknown; routine?: unknown; message?: unknown } | null;
  // The routine's name is not translated (lc_messages), the message may be.
  return (
    failure?.code === '0A000' &&
    (failure.routine === 'RevalidateCachedQuery' ||
      (typeof failure.message === 'string' &&
        /cached plan must not change result type/.test(failure.message)))
  );
}

export function isPostgresRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code)) || isStalePreparedPlan(error);
}

/** Connection failures, and SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (shutdown). */
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export function isPostgresUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_NODE_CODES.has(code) || /^(08|53|57P)/.test(code))) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** Statement names kept per process; the application issues a fixed set of SQL texts, so this is a bound. */
const STATEMENT_NAMES_MAX = 2000;
const statementNames = new Map<string, string>();

function statementNameOf(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `openmomo_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
    if (statementNames.size < STATEMENT_NAMES_MAX) {
      statementNames.set(text, name);
    }
  }
  return name;
}

const TRANSACTION_START = /^\s*(begin|start transaction)\b/i;
const TRANSACTION_END = /^\s*(commit|end|abort|rollback)\s*$/i;

/**
 * Kysely sends every query unnamed, which PostgreSQL parses and plans anew each time. Named after its text, a
 * statement is prepared once per connection and then only bound and executed. Only queries with parameters
 * are named: they are the application's fixed set, while parameterless ones (BEGIN, DDL) gain nothing.
 */
function preparingStatements(client: pg.PoolClient, statements: { generation: number }): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let inTransaction = false;
  const runNamed = (text: string, values: unknown[]) =>
    query({ name: `${statementNameOf(text)}_${statements.generation}`, text, values });
  const named = (text: unknown, values: unknown, ...rest: unknown[]) => {
    if (typeof text === 'string' && TRANSACTION_START.test(text)) {
      inTransaction = true;
    } else if (typeof text === 'string' && TRANSACTION_END.test(text)) {
      inTransaction = false;
    }
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || rest.length > 0) {
      return query(text, values, ...rest);
    }
    return runNamed(text, values).catch((error: unknown) => {
      if (!isStalePreparedPlan(error)) {
        throw error;
      }
      statements.generation++;
      // Inside a transaction the failure aborted it: the store runs the whole transaction again.
      if (inTransaction) {
        throw error;
      }
      return runNamed(text, values);
    });
  };
  client.query = named as typeof client.query;
}

const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** How long a listener waits before connecting again after its connection failed or ended. */
const LISTEN_RECONNECT_MS = 1000;
const LISTEN_CONNECT_TIMEOUT_MS = 5000;

/**
 * LISTEN/NOTIFY on a channel of this database and schema (channels are database-wide; tests share a database
 * with a schema each). The listener holds a connection of its own, outside the pool, and connects again after
 * a database restart; its errors are handled here, since an unhandled 'error' event would end the process.
 */
function postgresChangeFeed(options: PostgresOptions, pool: pg.Pool): ChangeFeed {
  const channel = `openmomo_${options.schema ?? 'public'}`.slice(0, 63);
  return {
    async notify(payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async listen(onPayload) {
      let stopped = false;
      // The connection in use, or being opened: one at a time.
      let client: pg.Client | undefined;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const reconnectLater = (from: pg.Client) => {
        // A late 'end' of a connection already replaced must not tear down its successor.
        if (stopped || retry !== undefined || from !== client) {
          return;
        }
        client.end().catch(() => undefined);
        client = undefined;
        retry = setTimeout(() => {
          retry = undefined;
          void connect();
        }, LISTEN_RECONNECT_MS);
        retry.unref();
      };
      const connect = async () => {
        const listener = new pg.Client({
          connectionString: options.connectionString,
          // A half-open connection (failover, partition) ends instead of listening to nothing for good.
          keepAlive: true,
          connectionTimeoutMillis: LISTEN_CONNECT_TIMEOUT_MS,
        });
        client = listener;
        listener.on('error', () => reconnectLater(listener));
        listener.on('end', () => reconnectLater(listener));
        listener.on('notification', (message) => {
          if (message.channel === channel && message.payload !== undefined) {
            onPayload(message.payload);
          }
        });
        try {
          await listener.connect();
          await listener.query(`listen "${channel}"`);
        } catch {
          reconnectLater(listener);
        }
      };
      await connect();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await client?.end().catch(() => undefined);
      };
    },
  };
}

export async function createPostgresDialect(options: PostgresOptions): Promise<StoreDialect> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME_PATTERN.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  }
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: options.connectionString });
    await setup.connect();
    try {
      await setup.query(`create schema if not exists "${schema}"`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // A connection can die under a client (database restart, failover). Without a listener the 'error' event
  // kills the process: idle clients report it on the pool, checked-out ones on themselves. The query in
  // flight still fails through its promise, and the request answers 503.
  pool.on('error', () => undefined);
  // One generation for the pool: a schema change seen on one connection renames the statements of all, so a
  // rerun transaction does not meet the same stale statement on the next connection.
  const statements = { generation: 0 };
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    if (options.preparedStatements ?? true) {
      preparingStatements(client, statements);
    }
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...observing(options.onQuery) });
  return {
    name: 'postgres',
    db,
    changeFeed: postgresChangeFeed(options, pool),
    rowLocks: true,
    readsInBatches: true,
    commitsInGroups: false,
    isUnavailable: isPostgresUnavailable,
    isRetryable: isPostgresRetryable,
    migrationTableSchema: schema ?? 'public',
    migrationContext: {
      identityColumn: { type: 'bigint', build: (column) => column.primaryKey().generatedAlwaysAsIdentity() },
    },
  };
}
