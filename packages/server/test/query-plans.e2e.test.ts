/**
 * Latency must not grow with table size (issue 6): every statement the server runs while it serves every
 * product, its workers and the operator API is explained by the engine, and none may read a whole table that
 * grows with traffic, nor sort every row its filter matches to return the first few. SQLite plans by rules,
 * whatever the tables hold. PostgreSQL plans by cost, and on tables this small would scan and sort anyway: it is
 * asked with sequential scans and sorts priced out, so one left in its plan means no index can do without it.
 */
import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.js';
import { ENGINES, type TestDatabase } from './support/engines.js';
import {
  http,
  ProductClient,
  refundBody,
  requestToPayBody,
  sleep,
  transferBody,
} from './support/momo-client.js';
import { msisdnParty, samePartnerClients, uniqueMsisdn } from './support/parties.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Tables that grow with traffic: reading one whole is a cost that grows with it. */
const GROWING_TABLES = new Set([
  'partners',
  'subscription_keys',
  'api_users',
  'api_keys',
  'account_holders',
  'accounts',
  'transactions',
  'transaction_events',
  'ledger_transfers',
  'ledger_entries',
  'callback_outbox',
  'callback_attempts',
  'auth_failures',
]);

/**
 * Statements that read whole tables on purpose, each with why. Matched against the SQL text.
 */
const WHOLE_TABLE_READS: readonly { readonly sql: RegExp; readonly why: string }[] = [
  {
    sql: /^select "currency", sum\("(amount_minor|balance_minor)"\) as "total" from "(ledger_entries|accounts)" group by "currency"$/,
    why: 'the ledger audit sums every entry and every balance per currency',
  },
  {
    sql: /^select "transfer_id" from "ledger_entries" group by "transfer_id" having sum/,
    why: 'the ledger audit checks that every transfer balances',
  },
  {
    sql: /^select "accounts"\."id" from "accounts" left join \(select "account_id", sum\("amount_minor"\)/,
    why: "the ledger audit checks every account's balance against its entries",
  },
  {
    sql: /^select "id" from "accounts" where "allow_negative" = (\?|\$1) and "balance_minor" < /,
    why: 'the ledger audit looks for any account below zero that may not be',
  },
];

/** One statement of each SQL text the server ran, with the values of its first run. */
function statementRecorder() {
  const statements = new Map<string, readonly unknown[]>();
  return {
    statements,
    onQuery(query: CompiledQuery) {
      // Only statements that read rows to find them; inserts of values and transaction control find nothing.
      if (/^\s*(select|update|delete|with)\b/i.test(query.sql) && !statements.has(query.sql)) {
        statements.set(query.sql, query.parameters);
      }
    },
  };
}

interface PlanProblem {
  readonly sql: string;
  readonly plan: string;
}

function sqliteProblems(database: TestDatabase, statements: Map<string, readonly unknown[]>): PlanProblem[] {
  const connection = new BetterSqlite3(database.databaseUrl, { readonly: true });
  connection.defaultSafeIntegers(true);
  try {
    return [...statements].flatMap(([sql, parameters]) => {
      const rows = connection.prepare(`explain query plan ${sql}`).all(...parameters) as { detail: string }[];
      const limited = /\blimit\b/i.test(sql);
      const sorted = rows.some((row) => row.detail.startsWith('USE TEMP B-TREE FOR ORDER BY'));
      const bounded = limited && !sorted;
      const wholeTable = rows.filter((row) => {
        const scan = /^SCAN (\w+)( USING (COVERING )?INDEX)?/.exec(row.detail);
        // A scan in index order stopped by a LIMIT reads as many rows as it returns, plus those its filter
        // skips: the operator's filtered newest-first lists, where a rare filter value reads further back.
        return scan !== null && GROWING_TABLES.has(scan[1] ?? '') && !(scan[2] !== undefined && bounded);
      });
      // Sorting what an index found, to return the first few, reads every row the filter matches.
      const sortsEveryMatch =
        limited &&
        sorted &&
        rows.some((row) => GROWING_TABLES.has(/^SEARCH (\w+)/.exec(row.detail)?.[1] ?? ''));
      return wholeTable.length === 0 && !sortsEveryMatch
        ? []
        : [{ sql, plan: rows.map((row) => row.detail).join('; ') }];
    });
  } finally {
    connection.close();
  }
}

interface PostgresPlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Cond'?: string;
  readonly Plans?: PostgresPlanNode[];
}

/** Nodes that read a growing table whole: a sequential scan, or an index walked end to end without a LIMIT. */
function wholeTableNodes(node: PostgresPlanNode, underLimit: boolean): PostgresPlanNode[] {
  const limited = underLimit || node['Node Type'] === 'Limit';
  const growing = GROWING_TABLES.has(node['Relation Name'] ?? '');
  const whole =
    growing &&
    (node['Node Type'] === 'Seq Scan' ||
      (/^Index (Only )?Scan$/.test(node['Node Type']) && node['Index Cond'] === undefined && !limited));
  return [
    ...(whole ? [node] : []),
    ...(node.Plans ?? []).flatMap((child) => wholeTableNodes(child, limited)),
  ];
}

function readsGrowingTable(node: PostgresPlanNode): boolean {
  return GROWING_TABLES.has(node['Relation Name'] ?? '') || (node.Plans ?? []).some(readsGrowingTable);
}

/** Sorts between a Limit and a growing table's scan: every row the filter matched, sorted for the first few. */
function sortsUnderLimit(node: PostgresPlanNode, underLimit: boolean): PostgresPlanNode[] {
  if (underLimit && node['Node Type'] === 'Sort' && readsGrowingTable(node)) {
    return [node];
  }
  const limited = underLimit || node['Node Type'] === 'Limit';
  return (node.Plans ?? []).flatMap((child) => sortsUnderLimit(child, limited));
}

async function postgresProblems(
  database: TestDatabase,
  statements: Map<string, readonly unknown[]>,
): Promise<PlanProblem[]> {
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  const planOf = async (sql: string, parameters: readonly unknown[]) => {
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PostgresPlanNode }] }>({
      text: `explain (format json) ${sql}`,
      values: [...parameters],
    });
    return rows[0]?.['QUERY PLAN'][0].Plan as PostgresPlanNode;
  };
  try {
    await client.query(`set search_path to ${database.postgresSchema}`);
    // Priced out, not forbidden: what the planner still chooses then has no alternative.
    await client.query('set enable_seqscan = off');
    const problems: PlanProblem[] = [];
    for (const [sql, parameters] of statements) {
      const plan = await planOf(sql, parameters);
      if (wholeTableNodes(plan, false).length > 0) {
        problems.push({ sql, plan: JSON.stringify(plan) });
        continue;
      }
      if (/\blimit\b/i.test(sql)) {
        // On tables this small the planner sorts rather than walk an index in order, as it would not at scale:
        // with sorts priced out too, a Sort left under the Limit means no index gives the order.
        await client.query('set enable_sort = off');
        const ordered = await planOf(sql, parameters);
        await client.query('set enable_sort = on');
        if (sortsUnderLimit(ordered, false).length > 0) {
          problems.push({ sql, plan: JSON.stringify(ordered) });
        }
      }
    }
    return problems;
  } finally {
    await client.end();
  }
}

/** The time, put forward by hand to reach what happens after days (callback retention). */
class SkewableClock {
  skewMs = 0;
  nowMs(): number {
    return Date.now() + this.skewMs;
  }
}

/** Every product, the workers and the operator API, as integrations and an operator use them. */
async function serveEverything(
  server: TestServer,
  receiver: CallbackReceiver,
  clock: SkewableClock,
): Promise<void> {
  const { baseUrl } = server;
  const partner = await samePartnerClients(baseUrl, ['collection', 'disbursement', 'remittance']);
  const { collection, disbursement, remittance } = partner;
  const callbackUrl = receiver.url(`/plans/${randomUUID()}`);

  // Sandbox sign-up, a token, and a refused token (counted as an authentication failure).
  const signedUp = await ProductClient.forProduct(baseUrl, 'collection');
  await signedUp.get(`/v1_0/requesttopay/${randomUUID()}`);
  await http(baseUrl, 'GET', `/v1_0/apiuser/${signedUp.credentials.apiUserId}`, {
    headers: { 'Ocp-Apim-Subscription-Key': signedUp.credentials.subscriptionKey },
  });
  await http(baseUrl, 'GET', '/collection/v1_0/account/balance', {
    headers: collection.headers({ Authorization: 'Bearer not-a-token' }),
  });

  // Collection: requests to pay (approved at once and in person), their callbacks, withdrawals, payments.
  const paid = await collection.create('/v1_0/requesttopay', requestToPayBody({ amount: '300' }), {
    callbackUrl,
  });
  await collection.waitForFinal('/v1_0/requesttopay', paid.referenceId);
  await http(baseUrl, 'POST', `/collection/v1_0/requesttopay/${paid.referenceId}/deliverynotification`, {
    headers: collection.headers({ 'Content-Type': 'application/json' }),
    body: { notificationMessage: 'Shipped' },
  });
  const inPerson = uniqueMsisdn();
  await admin(baseUrl, 'PUT', `/account-holders/MSISDN/${inPerson}`, { approvalMode: 'INTERACTIVE' });
  await collection.create(
    '/v1_0/requesttopay',
    requestToPayBody({ amount: '7', payer: msisdnParty(inPerson) }),
  );
  const prompts = (await admin(baseUrl, 'GET', `/account-holders/MSISDN/${inPerson}/pending`)).body as {
    transactionId: string;
  }[];
  for (const prompt of prompts) {
    await admin(baseUrl, 'POST', `/transactions/${prompt.transactionId}/approve`);
  }
  const withdrawal = await collection.create('/v1_0/requesttowithdraw', requestToPayBody({ amount: '5' }));
  await collection.waitForFinal('/v1_0/requesttowithdraw', withdrawal.referenceId);
  const payment = await collection.create('/v2_0/payment', {
    externalTransactionId: 'P-1',
    money: { amount: '4', currency: 'EUR' },
    customerReference: uniqueMsisdn(),
    serviceProviderUserName: 'shop',
  });
  await collection.waitForFinal('/v2_0/payment', payment.referenceId);

  // Pre-approvals: asked, approved in person, listed, cancelled; then a request to pay that checks for one.
  const preapproved = uniqueMsisdn();
  await admin(baseUrl, 'PUT', `/account-holders/MSISDN/${preapproved}`, { approvalMode: 'INTERACTIVE' });
  const preapproval = await collection.create('/v2_0/preapproval', {
    payer: msisdnParty(preapproved),
    payerCurrency: 'EUR',
    validityTime: 600,
  });
  const [preapprovalPrompt] = (await admin(baseUrl, 'GET', `/account-holders/MSISDN/${preapproved}/pending`))
    .body as { transactionId: string }[];
  await admin(baseUrl, 'POST', `/transactions/${preapprovalPrompt?.transactionId}/approve`);
  await collection.create(
    '/v1_0/requesttopay',
    requestToPayBody({ amount: '2', payer: msisdnParty(preapproved) }),
  );
  await collection.get(`/v1_0/preapprovals/msisdn/${preapproved}`);
  await http(baseUrl, 'DELETE', `/collection/v1_0/preapprovals/${preapproval.referenceId}`, {
    headers: collection.headers(),
  });

  // Invoices: created, read and cancelled.
  const invoice = await collection.create('/v2_0/invoice', {
    amount: '9',
    currency: 'EUR',
    validityDuration: '3600',
    intendedPayer: msisdnParty(inPerson),
    payee: msisdnParty(uniqueMsisdn()),
  });
  await collection.get(`/v2_0/invoice/${invoice.referenceId}`);
  await http(baseUrl, 'DELETE', `/collection/v2_0/invoice/${invoice.referenceId}`, {
    headers: collection.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
    body: {},
  });

  // Every product's account calls and the consent flow.
  await collection.balance();
  await collection.get('/v1_0/account/balance/EUR');
  await collection.get(`/v1_0/accountholder/msisdn/${inPerson}/active`);
  await collection.get(`/v1_0/accountholder/msisdn/${inPerson}/basicuserinfo`);
  const consent = await http(baseUrl, 'POST', '/collection/v1_0/bc-authorize', {
    headers: collection.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
    rawBody: `login_hint=ID:${inPerson}/MSISDN&scope=profile&access_type=offline`,
  });
  expect(consent.status).toBe(200);

  // Disbursement and remittance: payouts, a refund of the collection above, a cash transfer.
  for (const path of ['/v1_0/transfer', '/v1_0/deposit', '/v2_0/deposit']) {
    const payout = await disbursement.create(path, transferBody({ amount: '3' }), { callbackUrl });
    await disbursement.waitForFinal(path, payout.referenceId);
  }
  const refund = await disbursement.create('/v1_0/refund', refundBody(paid.referenceId, { amount: '10' }));
  await disbursement.waitForFinal('/v1_0/refund', refund.referenceId);
  const remitted = await remittance.create('/v1_0/transfer', transferBody({ amount: '6' }));
  await remittance.waitForFinal('/v1_0/transfer', remitted.referenceId);
  const cash = await remittance.create('/v2_0/cashtransfer', {
    ...transferBody({ amount: '8' }),
    orginatingCountry: 'SE',
    originalAmount: '8',
    originalCurrency: 'EUR',
    payerIdentificationType: 'PASSPORT',
    payerIdentificationNumber: 'X1',
    payerFirstName: 'Anna',
    payerSurName: 'Svensson',
  });
  await remittance.waitForFinal('/v2_0/cashtransfer', cash.referenceId);

  // The operator API, as the dashboard reads it.
  await receiver.waitFor(4, 10_000);
  const transactions = (await admin(baseUrl, 'GET', '/transactions?limit=20')).body as { id: string }[];
  const since = Date.now() - 60_000;
  for (const query of [
    'status=SUCCESSFUL',
    'product=collection',
    `apiUserId=${collection.credentials.apiUserId}`,
    `partyId=${inPerson}`,
    `fromMs=${since}&toMs=${Date.now()}`,
    `beforeMs=${Date.now()}`,
    `beforeMs=${Date.now()}&beforeId=${transactions[0]?.id}`,
    `status=SUCCESSFUL&beforeMs=${Date.now()}&beforeId=${transactions[0]?.id}`,
  ]) {
    await admin(baseUrl, 'GET', `/transactions?${query}&limit=10`);
  }
  await admin(baseUrl, 'GET', `/transactions/${transactions[0]?.id}`);
  await admin(
    baseUrl,
    'GET',
    `/api-users/${collection.credentials.apiUserId}/transactions/${paid.referenceId}`,
  );
  const accounts = (await admin(baseUrl, 'GET', '/accounts')).body as { id: string }[];
  await admin(baseUrl, 'GET', `/accounts/${accounts[0]?.id}/postings`);
  await admin(baseUrl, 'GET', '/api-users');
  await admin(baseUrl, 'GET', '/account-holders');
  await admin(baseUrl, 'GET', '/stats');
  const callbacks = (await admin(baseUrl, 'GET', '/callbacks')).body as { id: string }[];
  await admin(baseUrl, 'GET', '/callbacks?state=DELIVERED');
  await admin(baseUrl, 'GET', `/callbacks?beforeMs=${Date.now()}&beforeId=${callbacks[0]?.id}`);
  await admin(baseUrl, 'POST', `/callbacks/${callbacks[0]?.id}/replay`);
  await admin(baseUrl, 'GET', '/ledger/audit');
  // Revoking what the sandbox sign-up issued (every server reads the revoked lists all the time).
  await admin(baseUrl, 'POST', `/api-users/${signedUp.credentials.apiUserId}/revoke`);
  await admin(baseUrl, 'POST', '/subscription-keys/revoke', {
    subscriptionKey: signedUp.credentials.subscriptionKey,
  });

  // A month on, retention forgets the delivered callbacks.
  clock.skewMs += 31 * 86_400_000;
  const deadline = Date.now() + 10_000;
  while (((await admin(baseUrl, 'GET', '/callbacks')).body as unknown[]).length >= callbacks.length) {
    if (Date.now() > deadline) {
      throw new Error('callback retention forgot no callback within 10 s');
    }
    await sleep(20);
  }
}

describe.each(ENGINES)('query plans on %s', (engine) => {
  const recorder = statementRecorder();
  let server: TestServer;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    const clock = new SkewableClock();
    server = await startTestServer(engine, { clock, onQuery: (query) => recorder.onQuery(query) });
    await serveEverything(server, receiver, clock);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('saw the statements of every part of the server', () => {
    const sql = [...recorder.statements.keys()].join('\n');
    for (const table of ['transactions', 'callback_outbox', 'ledger_entries', 'accounts', 'api_keys']) {
      expect(sql).toContain(`"${table}"`);
    }
  });

  it('reads no growing table whole, except where a statement says why it must', async () => {
    const problems =
      engine === 'sqlite'
        ? sqliteProblems(server.database, recorder.statements)
        : await postgresProblems(server.database, recorder.statements);
    const unexplained = problems.filter(
      ({ sql }) => !WHOLE_TABLE_READS.some((allowed) => allowed.sql.test(sql)),
    );
    expect(unexplained).toEqual([]);
  });
});
