/** Starts a real OpenMoMo server on a free port, on a fresh database of the chosen engine. */
import { type Config, loadConfig } from '../../src/config.js';
import { type RunningServer, type StartServerOptions, startServer } from '../../src/server.js';
import type { Clock } from '../../src/services/context.js';
import { type Engine, freshTestDatabase, type TestDatabase } from './engines.js';

/** Fast timings so asynchronous behaviour is observable within a test's time. */
export const TEST_CONFIG: Partial<Config> = {
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  sandboxMode: true,
  autoApprovalDelayMs: 0,
  delayedApprovalDelayMs: 300,
  approvalTimeoutMs: 60_000,
  workerPollIntervalMs: 20,
  callbackTimeoutMs: 2000,
  callbackRetryBaseDelayMs: 20,
  callbackRetryMaxDelayMs: 200,
  // Every test talks from 127.0.0.1: brute-force protection is tested on its own (security.e2e.test.ts).
  authFailureLimit: 100_000,
};

export interface TestServer extends RunningServer {
  readonly database: TestDatabase;
}

export interface TestServerOptions {
  readonly config?: Partial<Config>;
  readonly clock?: Clock;
  /** Reopen an existing database (a restart) instead of a fresh one. */
  readonly database?: TestDatabase;
  /** A logger for the server (the security test reads what it writes). */
  readonly logger?: StartServerOptions['logger'];
  /** Sees every statement the server's store runs. */
  readonly onQuery?: StartServerOptions['onQuery'];
}

export async function startTestServer(engine: Engine, options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? freshTestDatabase(engine);
  const config = loadConfig({}, { ...TEST_CONFIG, ...options.config, databaseUrl: database.databaseUrl });
  const startOptions: StartServerOptions = {
    config,
    // OPENMOMO_TEST_LOG=error (or info, debug) shows the server's log while debugging a test.
    ...(process.env.OPENMOMO_TEST_LOG === undefined
      ? {}
      : { logger: { level: process.env.OPENMOMO_TEST_LOG } }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onQuery === undefined ? {} : { onQuery: options.onQuery }),
    ...(database.postgresSchema === undefined ? {} : { postgresSchema: database.postgresSchema }),
  };
  const server = await startServer(startOptions);
  return Object.assign(server, { database });
}

/** A clock tests move by hand, to expire tokens and requests without waiting. */
export class ManualClock implements Clock {
  #nowMs: number;
  constructor(startMs = Date.now()) {
    this.#nowMs = startMs;
  }
  nowMs(): number {
    return this.#nowMs;
  }
  advance(ms: number): void {
    this.#nowMs += ms;
  }
}
