/**
 * `npm run bench`: throughput and latency of OpenMoMo against a bare-Fastify ceiling, measured in one run,
 * written to docs/performance.md. Bounded in time: each load lasts DURATION_SECONDS.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { ensureAccount, fundFromFloat } from '../packages/server/src/services/accounts.js';
import { forEachWithLimit } from '../packages/server/src/services/bounded-concurrency.js';
import { postTransfer } from '../packages/server/src/services/ledger-posting.js';
import { openStore } from '../packages/server/src/storage/open-store.js';
import { openSeeder, SEEDED_WALLETS, seededReferenceId } from './seed.js';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const CONNECTIONS = 16;
/**
 * Each judged load runs this many times, each run right after the bare route's same load: the ratio is the
 * median of the pairs' ratios. This machine's speed swings by a third from one minute to the next, so a ratio
 * of two loads run minutes apart measured the machine as much as the server.
 */
const PAIRS = 3;
/** Seconds of load before each measured one, unmeasured: the server's code paths are compiled by then. */
const WARMUP_SECONDS = 1;
const CYCLE_REQUESTS = 300;
/** Seeded transaction counts for the growth runs; BENCH_SCALES=10000 keeps a quick run quick. */
const SCALES = (process.env.BENCH_SCALES ?? '10000,1000000').split(',').map(Number);
const LEDGER_TRANSFERS = 2000;
const POSTGRES_URL = process.env.OPENMOMO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = join(import.meta.dirname, '..');

interface Measured {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

interface AtScale {
  readonly storedTransactions: number;
  readonly create: Measured;
  readonly status: Measured;
}

async function startProcess(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (http:\/\/\S+)|listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match !== null) {
        resolve(match[1] ?? `http://127.0.0.1:${match[2]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
  return { child, baseUrl };
}

function peakMemoryMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** A judged load and the bare route's same load run just before it, PAIRS times over. */
interface Paired {
  /** The pair whose ratio is the median: its server run and the bare-route run before it. */
  readonly measured: Measured;
  readonly ceiling: Measured;
  /** The median of the pairs' ratios, and every pair's, in the order they ran. */
  readonly ratio: number;
  readonly ratios: readonly number[];
}

async function paired(
  measuredLoad: () => Promise<Measured>,
  ceilingLoad: () => Promise<Measured>,
  afterEach: () => Promise<void> = async () => undefined,
): Promise<Paired> {
  const pairs: { measured: Measured; ceiling: Measured; ratio: number }[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const ceiling = await ceilingLoad();
    const measured = await measuredLoad();
    await afterEach();
    pairs.push({ measured, ceiling, ratio: measured.requestsPerSecond / ceiling.requestsPerSecond });
  }
  const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(PAIRS / 2)];
  if (median === undefined) {
    throw new Error('PAIRS must be at least 1');
  }
  return { ...median, ratios: pairs.map((pair) => pair.ratio) };
}

const halfRateOf = (saturated: Measured) => Math.max(1, Math.round(saturated.requestsPerSecond / 2));

/** autocannon runs `warmup` before the measured load and leaves it out of the result; its types omit it. */
type WarmedUpOptions = autocannon.Options & { readonly warmup: { connections: number; duration: number } };

async function load(name: string, options: autocannon.Options): Promise<Measured> {
  const warmedUp: WarmedUpOptions = {
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
    ...options,
  };
  const result = await autocannon(warmedUp);
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function json(url: string, init: RequestInit): Promise<Record<string, string>> {
  const response = await fetch(url, init);
  const text = await response.text();
  return text === '' ? {} : (JSON.parse(text) as Record<string, string>);
}

/** Sandbox credentials and a token, as an integrator gets them. */
async function credentials(baseUrl: string) {
  const subscriptionKey = randomBytes(16).toString('hex');
  const apiUser = randomUUID();
  await json(`${baseUrl}/v1_0/apiuser`, {
    method: 'POST',
    headers: {
      'X-Reference-Id': apiUser,
      'Ocp-Apim-Subscription-Key': subscriptionKey,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ providerCallbackHost: '127.0.0.1' }),
  });
  const { apiKey } = await json(`${baseUrl}/v1_0/apiuser/${apiUser}/apikey`, {
    method: 'POST',
    headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey },
  });
  const { access_token: token } = await json(`${baseUrl}/collection/token/`, {
    method: 'POST',
    headers: {
      'Ocp-Apim-Subscription-Key': subscriptionKey,
      Authorization: `Basic ${Buffer.from(`${apiUser}:${apiKey}`).toString('base64')}`,
    },
  });
  return {
    Authorization: `Bearer ${token}`,
    'Ocp-Apim-Subscription-Key': subscriptionKey,
    'X-Target-Environment': 'sandbox',
    'Content-Type': 'application/json',
  };
}

const BODY = JSON.stringify({
  amount: '1500',
  currency: 'EUR',
  externalId: '6353636',
  payer: { partyIdType: 'MSISDN', partyId: '46733123499' },
  payerMessage: 'Pay for order 17',
  payeeNote: 'Order 17',
});

function createLoad(
  baseUrl: string,
  headers: Record<string, string>,
  extraHeaders: Record<string, string> = {},
): autocannon.Options {
  return {
    url: `${baseUrl}/collection/v1_0/requesttopay`,
    method: 'POST',
    headers: { ...headers, ...extraHeaders },
    body: BODY,
    setupClient: (client) => {
      // A new X-Reference-Id for every request, as a real integration sends.
      client.setHeaders({ ...headers, ...extraHeaders, 'X-Reference-Id': randomUUID() });
      client.on('response', () =>
        client.setHeaders({ ...headers, ...extraHeaders, 'X-Reference-Id': randomUUID() }),
      );
    },
  };
}

/**
 * Waits until the settlement worker has decided every request a create load left PENDING, so the next load
 * measures itself and not the backlog (sandbox mode leaves the operator API open).
 */
async function settled(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const pending = (await (
      await fetch(`${baseUrl}/admin/v1/transactions?status=PENDING&limit=1`)
    ).json()) as unknown[];
    if (pending.length === 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('requests were still PENDING three minutes after the load');
}

/** How many PENDING requests a PENDING status load polls in turn, as integrations poll their open requests. */
const PENDING_REQUESTS = 200;

/**
 * Requests that stay PENDING while they are read: their payer answers in person (sandbox mode leaves the operator
 * API open), and `reject` answers for them afterwards, so the next load starts with nothing pending. A load
 * polls them in turn: one request polled by every connection would let reads that share a query (decision
 * 0031) read one row for all of them.
 */
async function pendingRequests(baseUrl: string, headers: Record<string, string>) {
  const payer = `2567${String(Date.now()).slice(-8)}`;
  const admin = (method: string, path: string, body?: unknown) =>
    json(`${baseUrl}/admin/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  await admin('PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
  const referenceIds: string[] = [];
  for (let i = 0; i < PENDING_REQUESTS; i++) {
    const referenceId = randomUUID();
    referenceIds.push(referenceId);
    await fetch(`${baseUrl}/collection/v1_0/requesttopay`, {
      method: 'POST',
      headers: { ...headers, 'X-Reference-Id': referenceId },
      body: BODY.replace('46733123499', payer),
    });
  }
  const prompts = (await (
    await fetch(`${baseUrl}/admin/v1/account-holders/MSISDN/${payer}/pending`)
  ).json()) as { transactionId: string }[];
  if (prompts.length !== PENDING_REQUESTS) {
    throw new Error(`${prompts.length} of ${PENDING_REQUESTS} requests to an interactive payer are pending`);
  }
  let next = 0;
  return {
    load: {
      url: baseUrl,
      headers,
      requests: [
        {
          method: 'GET' as const,
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            path: `/collection/v1_0/requesttopay/${referenceIds[next++ % referenceIds.length]}`,
          }),
        },
      ],
    },
    reject: async () => {
      for (const prompt of prompts) {
        await admin('POST', `/transactions/${prompt.transactionId}/reject`);
      }
    },
  };
}

/** POST → approval → callback received, for CYCLE_REQUESTS requests at CONNECTIONS at a time. */
async function fullCycle(baseUrl: string, headers: Record<string, string>): Promise<number> {
  let received = 0;
  let done: () => void = () => undefined;
  const allReceived = new Promise<void>((resolve) => {
    done = resolve;
  });
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.end();
      received++;
      if (received === CYCLE_REQUESTS) {
        done();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`;
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent < CYCLE_REQUESTS) {
        sent++;
        await fetch(`${baseUrl}/collection/v1_0/requesttopay`, {
          method: 'POST',
          headers: { ...headers, 'X-Reference-Id': randomUUID(), 'X-Callback-Url': callbackUrl },
          body: BODY,
        });
      }
    }),
  );
  await Promise.race([allReceived, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  const seconds = (performance.now() - started) / 1000;
  receiver.close();
  return Math.round(received / seconds);
}

/** Create and status get again with 10⁴ wallets and each count of SCALES stored transactions. */
async function growthRuns(
  engine: 'sqlite' | 'postgres',
  baseUrl: string,
  headers: Record<string, string>,
  target: Parameters<typeof openSeeder>[0],
): Promise<AtScale[]> {
  const seeder = await openSeeder(target);
  try {
    await seeder.wallets();
    const runs: AtScale[] = [];
    for (const scale of SCALES) {
      await seeder.transactionsUpTo(scale);
      const storedTransactions = await seeder.storedTransactions();
      const create = await load(`${engine}: create`, createLoad(baseUrl, headers));
      await settled(baseUrl);
      const status = await load(`${engine}: status get`, {
        url: baseUrl,
        headers,
        requests: [
          {
            // A different stored transaction each time, so no lookup is answered from a hot page alone.
            setupRequest: (request) => ({
              ...request,
              path: `/collection/v1_0/requesttopay/${seededReferenceId(1 + Math.floor(Math.random() * scale))}`,
            }),
          },
        ],
      });
      runs.push({ storedTransactions, create, status });
    }
    return runs;
  } finally {
    await seeder.close();
  }
}

/** The bare route's loads, on the ceiling server at `ceilingUrl`; paced at `overallRate` when one is given. */
function bareRoute(ceilingUrl: string) {
  const paced = (overallRate?: number) => ({
    name: overallRate === undefined ? '' : ' at the same rate',
    options: overallRate === undefined ? {} : { overallRate },
  });
  return {
    create: (overallRate?: number) =>
      load(`bare Fastify POST${paced(overallRate).name}`, {
        ...createLoad(ceilingUrl, CEILING_HEADERS),
        ...paced(overallRate).options,
      }),
    status: (overallRate?: number) =>
      load(`bare Fastify GET${paced(overallRate).name}`, {
        url: `${ceilingUrl}/collection/v1_0/requesttopay/${randomUUID()}`,
        headers: CEILING_HEADERS,
        ...paced(overallRate).options,
      }),
  };
}

async function benchEngine(engine: 'sqlite' | 'postgres', ceilingUrl: string) {
  const bare = bareRoute(ceilingUrl);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl =
    engine === 'sqlite'
      ? join(tmpdir(), `openmomo-bench-${randomBytes(4).toString('hex')}.db`)
      : POSTGRES_URL;
  const { child, baseUrl } = await startProcess(join(ROOT, 'packages/server/dist/main.js'), {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    ...(engine === 'postgres' ? { DATABASE_SCHEMA: schema } : {}),
    SANDBOX_MODE: 'true',
    LOG_LEVEL: 'silent',
    AUTO_APPROVAL_DELAY_MS: '0',
    WORKER_POLL_INTERVAL_MS: '50',
  });
  try {
    const headers = await credentials(baseUrl);
    const create = await paired(
      () => load(`${engine}: request-to-pay create`, createLoad(baseUrl, headers)),
      () => bare.create(),
      () => settled(baseUrl),
    );
    const referenceId = randomUUID();
    await fetch(`${baseUrl}/collection/v1_0/requesttopay`, {
      method: 'POST',
      headers: { ...headers, 'X-Reference-Id': referenceId },
      body: BODY,
    });
    const statusLoad = { url: `${baseUrl}/collection/v1_0/requesttopay/${referenceId}`, headers };
    const status = await paired(
      () => load(`${engine}: status get, final (kept in memory)`, statusLoad),
      () => bare.status(),
    );
    const pending = await pendingRequests(baseUrl, headers);
    // A SQLite server keeps PENDING transactions in memory too; a PostgreSQL one reads them every time (decision 0017).
    const pendingRead = engine === 'sqlite' ? 'kept in memory' : 'read from the database';
    const statusPending = await paired(
      () => load(`${engine}: status get, PENDING (${pendingRead})`, pending.load),
      () => bare.status(),
    );
    await pending.reject();
    // The latency target is set at half the saturating rate, where a service is meant to run. On a virtual
    // machine a paced load's latency has a floor of its own (idle cores wake late): the bare route paced at the
    // same rate, just before, shows it.
    const createRate = halfRateOf(create.measured);
    const bareCreateAtHalf = await bare.create(createRate);
    const createAtHalf = await load(`${engine}: request-to-pay create at half rate`, {
      ...createLoad(baseUrl, headers),
      overallRate: createRate,
    });
    await settled(baseUrl);
    const statusRate = halfRateOf(status.measured);
    const bareStatusAtHalf = await bare.status(statusRate);
    const statusAtHalf = await load(`${engine}: status get at half rate`, {
      ...statusLoad,
      overallRate: statusRate,
    });
    const cyclePerSecond = await fullCycle(baseUrl, headers);
    await settled(baseUrl);
    const atScale = await growthRuns(engine, baseUrl, headers, {
      engine,
      databaseUrl,
      postgresSchema: schema,
      templateReferenceId: referenceId,
    });
    return {
      create,
      status,
      statusPending,
      createAtHalf,
      bareCreateAtHalf,
      statusAtHalf,
      bareStatusAtHalf,
      cyclePerSecond,
      atScale,
      peakMemoryMb: peakMemoryMb(child),
    };
  } finally {
    child.kill('SIGTERM');
    // Dropping the schema while the server still holds locks in it would deadlock.
    await once(child, 'exit');
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    }
  }
}

async function ledgerPostingsPerSecond(engine: 'sqlite' | 'postgres'): Promise<number> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const store = await openStore(
    engine === 'sqlite'
      ? { databaseUrl: join(tmpdir(), `openmomo-ledger-${randomBytes(4).toString('hex')}.db`) }
      : { databaseUrl: POSTGRES_URL, postgresSchema: schema },
  );
  try {
    const nowMs = Date.now();
    const wallets = await store.transaction(async (tx) => {
      const opened = [];
      for (let i = 0; i < 100; i++) {
        const wallet = await ensureAccount(
          tx,
          { ownerType: 'ACCOUNT_HOLDER', ownerId: `bench-${i}`, product: '' },
          'EUR',
          { openingMinor: 0n, nowMs },
        );
        await fundFromFloat(tx, wallet, 1_000_000n, { nowMs });
        opened.push(wallet);
      }
      return opened;
    });
    const started = performance.now();
    const failures: unknown[] = [];
    await forEachWithLimit(
      Array.from({ length: LEDGER_TRANSFERS }, (_, i) => i),
      8,
      async (i) => {
        const debit = wallets[i % wallets.length];
        const credit = wallets[(i * 7 + 1) % wallets.length];
        if (debit === undefined || credit === undefined || debit.id === credit.id) {
          return;
        }
        await store.transaction((tx) =>
          postTransfer(tx, {
            transferKey: `bench-${i}`,
            debitAccountId: debit.id,
            creditAccountId: credit.id,
            amountMinor: 1n,
            currency: 'EUR',
            transactionId: null,
            nowMs,
          }),
        );
      },
      (error) => failures.push(error),
    );
    if (failures.length > 0) {
      throw new Error(`${failures.length} ledger postings failed`, { cause: failures[0] });
    }
    return Math.round(LEDGER_TRANSFERS / ((performance.now() - started) / 1000));
  } finally {
    await store.close();
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
}

/**
 * Headers of the same names and sizes as an integrator's (an access token is about 330 characters), so the
 * ceiling parses as much as the server does; the bare route reads none of them.
 */
const CEILING_HEADERS = {
  Authorization: `Bearer ${randomBytes(245).toString('base64url')}`,
  'Ocp-Apim-Subscription-Key': randomBytes(16).toString('hex'),
  'X-Target-Environment': 'sandbox',
  'Content-Type': 'application/json',
};

/** What the server answers to a status read of BODY's request once it succeeded: the ceiling answers the same. */
const CEILING_ENV = {
  PORT: '0',
  STATUS_BODY: JSON.stringify({
    ...JSON.parse(BODY),
    status: 'SUCCESSFUL',
    financialTransactionId: '100000003',
  }),
};

// One bare-route server for the whole run, idle but for the loads paired with the server's.
const ceilingServer = await startProcess(join(import.meta.dirname, 'ceiling-server.mjs'), CEILING_ENV);
const engines = {
  sqlite: await benchEngine('sqlite', ceilingServer.baseUrl),
  postgres: await benchEngine('postgres', ceilingServer.baseUrl),
};
ceilingServer.child.kill('SIGTERM');
const ledger = {
  sqlite: await ledgerPostingsPerSecond('sqlite'),
  postgres: await ledgerPostingsPerSecond('postgres'),
};

const verdict = (met: boolean) => (met ? 'met' : 'not met');
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
const pairedRow = (judged: Paired) =>
  `| ${judged.measured.name} | ${judged.measured.requestsPerSecond} | ${judged.ceiling.requestsPerSecond} | ${percent(judged.ratio)} (${judged.ratios.map(percent).join(', ')}) | ${judged.measured.p50Ms} | ${judged.measured.p99Ms} | ${judged.measured.errors} |`;
const pacedRow = (m: Measured) =>
  `| ${m.name} | ${m.requestsPerSecond} | ${m.p50Ms} | ${m.p99Ms} | ${m.errors} |`;
const report = [
  '# Performance',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per load after ${WARMUP_SECONDS} s of unmeasured warm-up, autocannon on`,
  'loopback, server and load generator on the same 2-core machine. Durable commits: SQLite WAL, flushed by the server',
  'before any answer (decision 0027), PostgreSQL with synchronous_commit=on. Regenerate with `npm run bench`;',
  'compare ratios, not absolute numbers.',
  '',
  `Each judged load ran ${PAIRS} times, each time right after the same load on a bare Fastify route (the ceiling:`,
  "same headers, same body sizes, no validation, no auth, no database). The ratio is the median of the pairs'",
  'ratios, all of which are listed; the row shows the median pair. This machine changes speed by a third from one',
  'minute to the next, so only loads run side by side are compared. A final status get reads one request; a',
  `PENDING one polls ${PENDING_REQUESTS} open requests in turn, as an integration does (on PostgreSQL, reads that arrive`,
  'together share a query, decision 0031).',
  '',
  '| load | requests/s | bare route just before, requests/s | of the bare route: median (each pair) | p50 ms | p99 ms | errors |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...(['sqlite', 'postgres'] as const).flatMap((engine) => [
    pairedRow(engines[engine].create),
    pairedRow(engines[engine].status),
    pairedRow(engines[engine].statusPending),
  ]),
  '',
  "At half the saturating rate (the median pair's), each paced load right after the bare route paced at the same rate:",
  '',
  '| load | requests/s | p50 ms | p99 ms | errors |',
  '| --- | --- | --- | --- | --- |',
  ...(['sqlite', 'postgres'] as const).flatMap((engine) => [
    pacedRow({
      ...engines[engine].bareCreateAtHalf,
      name: `${engine}: ${engines[engine].bareCreateAtHalf.name}`,
    }),
    pacedRow(engines[engine].createAtHalf),
    pacedRow({
      ...engines[engine].bareStatusAtHalf,
      name: `${engine}: ${engines[engine].bareStatusAtHalf.name}`,
    }),
    pacedRow(engines[engine].statusAtHalf),
  ]),
  '',
  '| measure | SQLite | PostgreSQL |',
  '| --- | --- | --- |',
  `| full cycle (POST → approval → callback received), per second | ${engines.sqlite.cyclePerSecond} | ${engines.postgres.cyclePerSecond} |`,
  `| ledger postings per second, no HTTP, 8 concurrent | ${ledger.sqlite} | ${ledger.postgres} |`,
  `| server peak memory (VmHWM), MiB | ${engines.sqlite.peakMemoryMb.toFixed(0)} | ${engines.postgres.peakMemoryMb.toFixed(0)} |`,
  '',
  `How cost grows: the same loads with ${SEEDED_WALLETS} payer wallets and the stored transactions below (seeded`,
  'straight into the database as copies of a real request-to-pay; status get reads a random seeded one each time).',
  'The seeded transactions are final, and a server keeps up to 10,000 transactions in memory (decisions 0015, 0017):',
  'at 10⁴ nearly every status get is answered from memory, at 10⁶ nearly every one reads the database. Compare the',
  "10⁶ row with PostgreSQL's PENDING status get above (a database read every time, before any seeding) to see a",
  "lookup's cost against table size.",
  '',
  '| engine | stored transactions | create/s | create p99 ms | status get/s | status get p99 ms | errors |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...(['sqlite', 'postgres'] as const).flatMap((engine) =>
    engines[engine].atScale.map(
      (run) =>
        `| ${engine} | ${run.storedTransactions} | ${run.create.requestsPerSecond} | ${run.create.p99Ms} | ${run.status.requestsPerSecond} | ${run.status.p99Ms} | ${run.create.errors + run.status.errors} |`,
    ),
  ),
  '',
  'Targets (issue 6), judged on the numbers above:',
  '',
  ...(['sqlite', 'postgres'] as const).flatMap((engine) => {
    const measured = engines[engine];
    const worstHalfRateP99 = Math.max(measured.createAtHalf.p99Ms, measured.statusAtHalf.p99Ms);
    const pacedFloorP99 = Math.max(measured.bareCreateAtHalf.p99Ms, measured.bareStatusAtHalf.p99Ms);
    return [
      `- ${engine}: create at ${percent(measured.create.ratio)} of the bare route (target ≥ 50%): ${verdict(measured.create.ratio >= 0.5)}; status get at ${percent(measured.status.ratio)} of it for a final transaction and ${percent(measured.statusPending.ratio)} for a PENDING one (target ≥ 70%): ${verdict(measured.status.ratio >= 0.7)} and ${verdict(measured.statusPending.ratio >= 0.7)}; worst p99 at half rate ${worstHalfRateP99} ms (target < 20 ms): ${verdict(worstHalfRateP99 < 20)} (the bare route paced at the same rates: ${pacedFloorP99} ms).`,
    ];
  }),
  '',
  'What bounds these numbers, and why the ratios to a bare route stay far from the targets, is explained in',
  '[decision 0014](decisions/0014-group-commit-and-prepared-statements.md).',
  '',
].join('\n');
const reportPath = join(ROOT, 'docs', 'performance.md');
writeFileSync(reportPath, report);
// Aligned tables, as `npm run lint` expects of every Markdown file.
spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', reportPath], {
  stdio: 'ignore',
});
process.stdout.write(`${report}\n`);
