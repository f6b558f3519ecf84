/**
 * Server configuration: read once from the environment, validated against a schema, frozen, and passed
 * down. `main.ts` is the only caller of `loadConfig(process.env)`; nothing else reads the environment.
 */

import proxyAddr from '@fastify/proxy-addr';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { callbackNetworkPolicy, InvalidCallbackNetworkSetting } from './outbox/callback-destinations.js';
import { databaseLocationOf } from './storage/database-url.js';

const HttpMethod = Type.Union([Type.Literal('PUT'), Type.Literal('POST')]);

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    host: Type.String({ minLength: 1 }),
    databaseUrl: Type.String({ minLength: 1 }),
    databaseSchema: Type.Union([Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' }), Type.Null()]),
    databasePreparedStatements: Type.Boolean(),
    databasePoolSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    sandboxMode: Type.Boolean(),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    ),
    operatorToken: Type.Union([Type.String({ minLength: 16 }), Type.Null()]),
    operatorHosts: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
    tokenTtlSeconds: Type.Integer({ minimum: 1 }),
    autoApprovalDelayMs: Type.Integer({ minimum: 0 }),
    delayedApprovalDelayMs: Type.Integer({ minimum: 0 }),
    approvalTimeoutMs: Type.Integer({ minimum: 1 }),
    sandboxWalletOpeningBalance: Type.String({ pattern: '^\\d+(\\.\\d+)?$' }),
    sandboxPartnerOpeningBalance: Type.String({ pattern: '^\\d+(\\.\\d+)?$' }),
    reasonFormat: Type.Union([Type.Literal('object'), Type.Literal('string')]),
    callbackMethodSandbox: HttpMethod,
    callbackMethodProduction: HttpMethod,
    callbackTimeoutMs: Type.Integer({ minimum: 100 }),
    callbackRetryBaseDelayMs: Type.Integer({ minimum: 1 }),
    callbackRetryMaxDelayMs: Type.Integer({ minimum: 1 }),
    callbackMaxAttempts: Type.Integer({ minimum: 1, maximum: 1000 }),
    callbackPrivateNetworks: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
    callbackRetentionDays: Type.Integer({ minimum: 0, maximum: 36_500 }),
    workerPollIntervalMs: Type.Integer({ minimum: 10 }),
    authFailureLimit: Type.Integer({ minimum: 1 }),
    authFailureWindowSeconds: Type.Integer({ minimum: 1 }),
    trustProxy: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
    requestTimeoutMs: Type.Integer({ minimum: 100 }),
  },
  { additionalProperties: false },
);

export type Config = Readonly<Static<typeof ConfigSchema>>;

/** Defaults for the embedded sandbox; every one can be overridden by the environment variable beside it. */
export const DEFAULT_CONFIG: Omit<Config, 'sandboxMode'> = {
  port: 8080, // PORT
  host: '0.0.0.0', // HOST
  databaseUrl: './data/openmomo.db', // DATABASE_URL: a SQLite file (a path or a file: URL) or postgres://…
  databaseSchema: null, // DATABASE_SCHEMA: PostgreSQL only, a schema to create and use instead of public
  databasePreparedStatements: true, // DATABASE_PREPARED_STATEMENTS: PostgreSQL only; false behind a pooler that cannot keep them
  databasePoolSize: 10, // DATABASE_POOL_SIZE: PostgreSQL only, connections this server opens at most
  logLevel: 'info', // LOG_LEVEL
  operatorToken: null, // OPERATOR_TOKEN: Bearer token of the admin API; without it the admin API is open only in sandbox mode
  operatorHosts: null, // OPERATOR_HOSTS: host names the open (token-less) admin API answers under besides localhost and IP addresses; `*` for any
  tokenTtlSeconds: 3600, // TOKEN_TTL_SECONDS: MTN's access tokens live one hour
  autoApprovalDelayMs: 1000, // AUTO_APPROVAL_DELAY_MS: how long an ordinary payer takes to approve
  delayedApprovalDelayMs: 30_000, // DELAYED_APPROVAL_DELAY_MS: the "delayed" test number (MTN's took ~25 s)
  approvalTimeoutMs: 300_000, // APPROVAL_TIMEOUT_MS: an interactive payer's time to answer before EXPIRED
  sandboxWalletOpeningBalance: '1000000', // SANDBOX_WALLET_OPENING_BALANCE: major units, for auto-created payers
  sandboxPartnerOpeningBalance: '1000000', // SANDBOX_PARTNER_OPENING_BALANCE: major units, per product account
  reasonFormat: 'object', // REASON_FORMAT: `object` as the seed pages document, `string` as MTN's live wire sends
  callbackMethodSandbox: 'PUT', // CALLBACK_METHOD_SANDBOX: MTN's sandbox calls back with PUT
  callbackMethodProduction: 'POST', // CALLBACK_METHOD_PRODUCTION: production deployments call back with POST
  callbackTimeoutMs: 5000, // CALLBACK_TIMEOUT_MS: one delivery attempt's deadline
  callbackRetryBaseDelayMs: 1000, // CALLBACK_RETRY_BASE_DELAY_MS: first retry after 1 s, doubling…
  callbackRetryMaxDelayMs: 3_600_000, // CALLBACK_RETRY_MAX_DELAY_MS: …up to hourly, like MTN's "long block"
  callbackMaxAttempts: 84, // CALLBACK_MAX_ATTEMPTS: 12 doubling delays (~68 min) then 71 hourly ≈ 3 days in all
  callbackPrivateNetworks: null, // CALLBACK_PRIVATE_NETWORKS: `allow`, `deny` or allowed addresses/CIDRs; unset: loopback and private ranges in sandbox mode, else `deny`
  callbackRetentionDays: 30, // CALLBACK_RETENTION_DAYS: delivered and given-up callbacks are forgotten this long after their last attempt; 0 keeps them for good
  workerPollIntervalMs: 250, // WORKER_POLL_INTERVAL_MS: how often workers look for due work they were not told of
  authFailureLimit: 30, // AUTH_FAILURE_LIMIT: 401s one client address may collect per window before it gets 429
  authFailureWindowSeconds: 60, // AUTH_FAILURE_WINDOW_SECONDS: the window of AUTH_FAILURE_LIMIT
  trustProxy: null, // TRUST_PROXY: the proxies whose X-Forwarded-For names the client (`true`, a hop count, or addresses/CIDRs)
  requestTimeoutMs: 30_000, // REQUEST_TIMEOUT_MS: a request not wholly received by then (headers and body) is answered 408 and its connection closed
};

export const ENVIRONMENT_VARIABLES: Readonly<Record<keyof Config, string>> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  databaseSchema: 'DATABASE_SCHEMA',
  databasePreparedStatements: 'DATABASE_PREPARED_STATEMENTS',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  sandboxMode: 'SANDBOX_MODE',
  logLevel: 'LOG_LEVEL',
  operatorToken: 'OPERATOR_TOKEN',
  operatorHosts: 'OPERATOR_HOSTS',
  tokenTtlSeconds: 'TOKEN_TTL_SECONDS',
  autoApprovalDelayMs: 'AUTO_APPROVAL_DELAY_MS',
  delayedApprovalDelayMs: 'DELAYED_APPROVAL_DELAY_MS',
  approvalTimeoutMs: 'APPROVAL_TIMEOUT_MS',
  sandboxWalletOpeningBalance: 'SANDBOX_WALLET_OPENING_BALANCE',
  sandboxPartnerOpeningBalance: 'SANDBOX_PARTNER_OPENING_BALANCE',
  reasonFormat: 'REASON_FORMAT',
  callbackMethodSandbox: 'CALLBACK_METHOD_SANDBOX',
  callbackMethodProduction: 'CALLBACK_METHOD_PRODUCTION',
  callbackTimeoutMs: 'CALLBACK_TIMEOUT_MS',
  callbackRetryBaseDelayMs: 'CALLBACK_RETRY_BASE_DELAY_MS',
  callbackRetryMaxDelayMs: 'CALLBACK_RETRY_MAX_DELAY_MS',
  callbackMaxAttempts: 'CALLBACK_MAX_ATTEMPTS',
  callbackPrivateNetworks: 'CALLBACK_PRIVATE_NETWORKS',
  callbackRetentionDays: 'CALLBACK_RETENTION_DAYS',
  workerPollIntervalMs: 'WORKER_POLL_INTERVAL_MS',
  authFailureLimit: 'AUTH_FAILURE_LIMIT',
  authFailureWindowSeconds: 'AUTH_FAILURE_WINDOW_SECONDS',
  trustProxy: 'TRUST_PROXY',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function parseValue(key: keyof Config, text: string): unknown {
  const sample = key === 'sandboxMode' ? true : DEFAULT_CONFIG[key];
  if (typeof sample === 'number') {
    return /^-?\d+$/.test(text) ? Number(text) : text;
  }
  if (typeof sample === 'boolean') {
    if (['true', '1', 'yes', 'on'].includes(text.toLowerCase())) {
      return true;
    }
    return ['false', '0', 'no', 'off'].includes(text.toLowerCase()) ? false : text;
  }
  return text;
}

/**
 * Fastify's `trustProxy` from TRUST_PROXY: unset (or `false`) trusts no proxy, so the socket's address is the
 * client; `true` trusts every hop, so the client may name itself (only behind a proxy that overwrites the
 * header); a number trusts that many hops; anything else is a comma-separated list of addresses, CIDRs and
 * proxy-addr's range names (`loopback`, `linklocal`, `uniquelocal`).
 */
export function trustProxyOption(
  trustProxy: string | null,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  const text = trustProxy?.trim().toLowerCase() ?? 'false';
  if (text === 'false') {
    return false;
  }
  if (text === 'true') {
    return true;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  try {
    // The parser Fastify itself uses: what it accepts here, the server accepts when it starts.
    proxyAddr.compile(entries);
  } catch (error) {
    throw new ConfigError(
      `invalid configuration:\n  TRUST_PROXY: ${error instanceof Error ? error.message : String(error)} (got "${trustProxy}")`,
    );
  }
  return entries;
}

/** Builds the frozen configuration from environment variables (and explicit overrides, for tests). */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<Config> = {},
): Config {
  const fromEnv: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENVIRONMENT_VARIABLES) as [keyof Config, string][]) {
    const text = env[variable];
    if (text !== undefined && text !== '') {
      fromEnv[key] = parseValue(key, text);
    }
  }
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG, ...fromEnv, ...overrides };
  // Sandbox mode is the embedded store's default; a PostgreSQL deployment is production unless it says so.
  const database = databaseLocationOf(String(merged.databaseUrl));
  if (database === undefined) {
    throw new ConfigError(
      `invalid configuration:\n  DATABASE_URL: neither a postgres:// URL nor a SQLite file (a path, or a file: URL without a query) (got "${String(merged.databaseUrl)}")`,
    );
  }
  merged.sandboxMode ??= database.engine === 'sqlite';
  if (!Value.Check(ConfigSchema, merged)) {
    const problems = [...Value.Errors(ConfigSchema, merged)].map((error) => {
      const key = error.path.slice(1) as keyof Config;
      return `${ENVIRONMENT_VARIABLES[key] ?? key}: ${error.message} (got ${JSON.stringify(error.value)})`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  trustProxyOption(merged.trustProxy as string | null);
  try {
    callbackNetworkPolicy(merged.callbackPrivateNetworks as string | null, merged.sandboxMode as boolean);
  } catch (error) {
    if (!(error instanceof InvalidCallbackNetworkSetting)) {
      throw error;
    }
    throw new ConfigError(`invalid configuration:\n  CALLBACK_PRIVATE_NETWORKS: ${error.message}`);
  }
  return Object.freeze(merged as Config);
}
