/** Runs OpenMoMo from environment variables until SIGINT or SIGTERM: `npm start` and `openmomo serve`. */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { ConfigError, loadConfig } from './config.js';
import { startServer, storeOptionsOf } from './server.js';
import { openStore } from './storage/open-store.js';

/** What the log never shows: credentials in request headers and bodies. */
const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers["ocp-apim-subscription-key"]',
  '*.apiKey',
  '*.pin',
  '*.access_token',
];

/**
 * Names of the query parameters that can carry a credential: the operator token of the dashboard's live stream
 * (EventSource cannot send headers) and a subscription key sent Azure's way.
 */
const CREDENTIAL_PARAMETERS = new Set(['token', 'subscription-key']);

/**
 * A parameter's name as the query parser reads it: percent-decoded (`%74oken` is `token`), with `+` as a space,
 * and without the `[]` or `[key]` that would make it an array or object.
 */
function parameterName(raw: string): string {
  let name = raw.replaceAll('+', ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape is read as written.
  }
  return name.replace(/\[.*$/, '').trim().toLowerCase();
}

/** `url` with the value of every parameter that can carry a credential replaced, however its name is spelled. */
function withoutCredentials(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) {
    return url;
  }
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      const name = equals === -1 ? parameter : parameter.slice(0, equals);
      return CREDENTIAL_PARAMETERS.has(parameterName(name)) ? `${name}=[Redacted]` : parameter;
    });
  return `${url.slice(0, queryStart)}?${query.join('&')}`;
}

/** A request as the log shows it: Fastify's default fields, with any credential in the URL redacted. */
function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: withoutCredentials(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The server's logger at `level` (the security e2e test logs with it, to `stream`). */
export function loggerOptions(
  level: string,
  stream?: { write(line: string): void },
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: LOG_REDACTIONS,
    serializers: { req: requestForLog as never },
    ...(stream === undefined ? {} : { stream }),
  };
}

/** Starts the server, prints where it listens, and stops it cleanly on a signal. Returns an exit code on a bad config. */
export async function serveFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  write: (text: string) => void,
): Promise<number | undefined> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  // Silent means no logger at all: Fastify would otherwise still make a child logger for every request.
  const logger = config.logLevel === 'silent' ? false : loggerOptions(config.logLevel);
  const server = await startServer({ config, logger });
  const base = `http://localhost:${new URL(server.baseUrl).port}`;
  write(
    [
      '',
      `OpenMoMo is listening on ${base} (${server.store.dialect}, ${config.sandboxMode ? 'sandbox mode' : 'production mode'})`,
      `  API docs:     ${base}/docs   (OpenAPI document: ${base}/openapi.json)`,
      `  Health:       ${base}/health`,
      config.sandboxMode
        ? `  Credentials:  use any 32-hex-digit subscription key, then POST ${base}/v1_0/apiuser and /v1_0/apiuser/{id}/apikey as at MTN's sandbox`
        : `  Credentials:  an operator issues them: POST ${base}/admin/v1/partners, then …/subscription-keys and …/api-users`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.app.log.info(`${signal} received, closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return undefined;
}

/** Brings the database DATABASE_URL names up to date, and stops. */
export async function migrateFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const config = loadConfig(env);
  const store = await openStore(storeOptionsOf(config));
  await store.close();
  return `${store.dialect} database at ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')} is up to date`;
}
