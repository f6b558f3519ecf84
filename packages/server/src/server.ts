/**
 * Assembles a running OpenMoMo: store → services → workers → HTTP app. `main.ts` calls it with the
 * environment's config; tests call it with their own config, a test schema and a port of 0.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { buildApp } from './http/build-app.js';
import type { Fetch } from './outbox/callback-destinations.js';
import { createCallbackRetention } from './outbox/callback-retention.js';
import { createCallbackWorker } from './outbox/callback-worker.js';
import { createAccessService } from './services/access-service.js';
import { createAccountService } from './services/account-service.js';
import { createConsentService } from './services/consent-service.js';
import {
  type Clock,
  createPlatformEvents,
  type ServiceContext,
  systemClock,
  type WorkerSignals,
} from './services/context.js';
import { createFaultRules } from './services/fault-rules.js';
import { createOperatorService } from './services/operator-service.js';
import { type PollingLoop, startPollingLoop } from './services/polling-loop.js';
import { createSettlementService } from './services/settlement-service.js';
import { shareEventsAcrossServers } from './services/shared-events.js';
import { loadTokenCodec } from './services/token-codec.js';
import { createTransactionService } from './services/transaction-service.js';
import { type OpenStoreOptions, openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';

/** How many due transactions the settlement worker decides per batch. */
const SETTLEMENT_BATCH_SIZE = 50;
/**
 * How often a server reads what other servers revoked. Not WORKER_POLL_INTERVAL_MS: that is tuned for how soon
 * due work starts, and a second is soon enough for a revocation while costing a server one read a second.
 */
const REVOCATION_REFRESH_MS = 1000;

export interface StartServerOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly fetch?: Fetch;
  readonly logger?: FastifyServerOptions['logger'];
  /** PostgreSQL only: run in (and create) this schema. */
  readonly postgresSchema?: string;
  /** Sees every statement the store runs (the query-plan test). */
  readonly onQuery?: OpenStoreOptions['onQuery'];
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** The store the configuration names; tests name their own PostgreSQL schema, a deployment DATABASE_SCHEMA. */
export function storeOptionsOf(config: Config, postgresSchema = config.databaseSchema): OpenStoreOptions {
  return {
    databaseUrl: config.databaseUrl,
    ...(postgresSchema === null ? {} : { postgresSchema }),
    postgresPreparedStatements: config.databasePreparedStatements,
    postgresPoolSize: config.databasePoolSize,
  };
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const store = await openStore({
    ...storeOptionsOf(options.config, options.postgresSchema),
    ...(options.onQuery === undefined ? {} : { onQuery: options.onQuery }),
  });
  try {
    return await startOn(store, options);
  } catch (error) {
    // A server that does not start leaves nothing open behind it (its database connections).
    await store.close();
    throw error;
  }
}

async function startOn(store: Store, options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const loops: {
    settlement?: PollingLoop;
    callbacks?: PollingLoop;
    retention?: PollingLoop;
    revocations?: PollingLoop;
  } = {};
  const signals: WorkerSignals = {
    settlementDue: () => loops.settlement?.wake(),
    callbacksDue: () => loops.callbacks?.wake(),
  };
  const context: ServiceContext = {
    store,
    config,
    clock: options.clock ?? systemClock,
    signals,
    events: createPlatformEvents(),
  };
  const settlement = createSettlementService(context);
  const tokens = await loadTokenCodec(context);
  const access = createAccessService(context, tokens);
  // Before the first request: a credential revoked before this server started is refused from the start.
  await access.refreshRevocations();
  const transactions = createTransactionService(context);
  const services = {
    config,
    store,
    access,
    transactions,
    accounts: createAccountService(context),
    consents: createConsentService(context, tokens, access, transactions),
    operator: createOperatorService(context, settlement),
    events: context.events,
    clock: context.clock,
  };
  // Sandbox fault rules, set through the operator API: for calls (the HTTP layer) and callbacks (the worker).
  const faults = createFaultRules();
  const app = await buildApp(services, faults, options.logger ?? false);
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const callbackWorker = createCallbackWorker(context, {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(config.sandboxMode ? { faults } : {}),
  });
  const onError = (error: unknown) => app.log.error({ err: error }, 'background work failed');
  const stopSharingEvents =
    store.changeFeed === undefined
      ? async () => undefined
      : await shareEventsAcrossServers(context.events, store.changeFeed, { onError });
  loops.settlement = startPollingLoop({
    intervalMs: config.workerPollIntervalMs,
    runOnce: async () =>
      (await settlement.settleDue(SETTLEMENT_BATCH_SIZE, onError)) === SETTLEMENT_BATCH_SIZE,
    onError,
  });
  loops.callbacks = startPollingLoop({
    intervalMs: config.workerPollIntervalMs,
    runOnce: async () => (await callbackWorker.deliverDue()) > 0,
    onError,
  });
  const retention = createCallbackRetention(context);
  loops.retention = startPollingLoop({
    intervalMs: config.workerPollIntervalMs,
    runOnce: () => retention.forgetExpired(),
    onError,
  });
  // What other servers on the database revoked reaches this one within a second.
  loops.revocations = startPollingLoop({
    intervalMs: REVOCATION_REFRESH_MS,
    runOnce: async () => {
      await access.refreshRevocations();
      return false;
    },
    onError,
  });
  const { port } = new URL(address);
  return {
    app,
    store,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await Promise.all([
        loops.settlement?.stop(),
        loops.callbacks?.stop(),
        loops.retention?.stop(),
        loops.revocations?.stop(),
        stopSharingEvents(),
      ]);
      await store.close();
    },
  };
}
