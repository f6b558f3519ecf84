/**
 * /admin/v1 — the operator API (not part of MoMo's wire): partners and their subscription keys, API users
 * outside the sandbox, account holders, funding, the payer's answers, and the ledger audit. It needs
 * `Authorization: Bearer $OPERATOR_TOKEN`; without a token configured it is open in sandbox mode only, to
 * requests addressed to names that cannot be rebound and to those in OPERATOR_HOSTS (decision 0030).
 */

import { isIP } from 'node:net';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CURRENCY_MINOR_UNITS,
  isTargetEnvironment,
  PARTY_ID_TYPES,
  type PartyIdType,
  PRODUCTS,
  TARGET_ENVIRONMENTS,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { formatAmount } from '../../../domain/money/amount.js';
import type { FaultRules } from '../../../services/fault-rules.js';
import { type MomoFailure, momoFailure } from '../../../services/outcomes.js';
import { hostAndPort } from '../../../services/resources/validation.js';
import { constantTimeEqual } from '../../../services/secrets.js';
import type { AccountHolderRecord, ListCursor, TransactionRecord } from '../../../storage/store.js';
import type { AppServices } from '../../app-services.js';
import { sendFailure, sendGatewayRefusal } from '../../momo-error-mapping.js';
import { faultRoutes } from './faults.js';

const Product = Type.Union(PRODUCTS.map((product) => Type.Literal(product)));
const Money = Type.Object({ amount: Type.String(), currency: Type.String() });
const PartyPath = Type.Object({ partyIdType: Type.String(), partyId: Type.String() });

function holderView(holder: AccountHolderRecord) {
  return {
    partyIdType: holder.partyIdType,
    partyId: holder.partyId,
    givenName: holder.givenName,
    familyName: holder.familyName,
    status: holder.status,
    approvalMode: holder.approvalMode,
    hasPin: holder.pinHash !== null,
  };
}

function partyOf(params: {
  partyIdType: string;
  partyId: string;
}): { partyIdType: PartyIdType; partyId: string } | undefined {
  const partyIdType = params.partyIdType.toUpperCase();
  return (PARTY_ID_TYPES as readonly string[]).includes(partyIdType)
    ? { partyIdType: partyIdType as PartyIdType, partyId: params.partyId }
    : undefined;
}

const badParty = {
  kind: 'failure',
  code: 'BAD_REQUEST',
  message: 'partyIdType must be MSISDN, EMAIL or PARTY_CODE.',
} as const;

/**
 * A newest-first list pages back from its last row: `beforeMs` is that row's `createdAtMs` and `beforeId`
 * its id, so rows created in the same millisecond are neither skipped nor repeated.
 */
const PAGE_CURSOR = {
  beforeMs: Type.Optional(Type.Integer()),
  beforeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

function cursorOf(query: { beforeMs?: number; beforeId?: string }): ListCursor | MomoFailure | undefined {
  if (query.beforeMs === undefined) {
    return query.beforeId === undefined
      ? undefined
      : momoFailure('BAD_REQUEST', 'beforeId needs beforeMs: the createdAtMs of the same row.');
  }
  return query.beforeId === undefined
    ? { createdAtMs: query.beforeMs }
    : { createdAtMs: query.beforeMs, id: query.beforeId };
}

/**
 * A change a web page on another site asked a browser to send (cross-site request forgery). The sandbox's
 * operator API is open without a token, and the body parser reads JSON under any content type, so such a
 * page could otherwise add fault rules or fund wallets on a developer's machine. Browsers name the page's
 * origin on every POST, PUT and DELETE; the dashboard's own requests name this server.
 */
function isCrossSiteWrite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || request.method === 'GET' || request.method === 'HEAD') {
    return false;
  }
  try {
    return new URL(origin).host !== request.host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file) or garbage: not this server.
    return true;
  }
}

/**
 * Whether the open operator API may answer a request addressed to this host. A page can make its own host
 * name resolve to this machine (DNS rebinding): the browser then treats the operator API as the page's own
 * site, Origin and all. The page cannot choose the Host its browser sends, though: that stays its own name.
 * It can add X-Forwarded-Host, which Fastify's `request.host` prefers behind a trusted proxy (TRUST_PROXY),
 * so only the Host header itself is judged. So without a token the operator API answers only names that cannot be rebound (localhost, `*.localhost`,
 * IP addresses) and the names the operator lists in OPERATOR_HOSTS.
 */
function isTrustedHost(host: string, operatorHosts: string | null): boolean {
  const hostname = hostAndPort(host)?.hostname;
  if (hostname === undefined) {
    return false;
  }
  if (
    isIP(hostname.replace(/^\[|\]$/g, '')) !== 0 ||
    hostname === 'localhost' ||
    hostname.endsWith('.localhost')
  ) {
    return true;
  }
  const listed = (operatorHosts ?? '').split(',').map((name) => name.trim().toLowerCase());
  return listed.includes('*') || listed.includes(hostname);
}

export const adminRoutes: FastifyPluginAsyncTypebox<{ services: AppServices; faults: FaultRules }> = async (
  app,
  { services, faults },
) => {
  const { config, operator, access } = services;

  app.addHook('onRequest', async (request, reply) => {
    if (isCrossSiteWrite(request)) {
      return sendFailure(reply, {
        kind: 'failure',
        code: 'NOT_ALLOWED',
        message: 'The operator API refuses changes sent from another site.',
      });
    }
    if (config.operatorToken === null) {
      if (!config.sandboxMode) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'NOT_ALLOWED',
          message: 'The admin API needs OPERATOR_TOKEN outside sandbox mode.',
        });
      }
      const host = request.headers.host ?? '';
      if (!isTrustedHost(host, config.operatorHosts)) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'NOT_ALLOWED',
          message: `Without OPERATOR_TOKEN the admin API answers only localhost and IP addresses, not ${host}: set OPERATOR_TOKEN, or list the name in OPERATOR_HOSTS.`,
        });
      }
      return;
    }
    // EventSource (the dashboard's live stream) cannot send headers: it passes the token as ?token=, which
    // nothing else may (a URL is copied into histories and logs far more often than a header).
    const fromQuery =
      request.routeOptions.url === `${app.prefix}/events`
        ? (request.query as Record<string, unknown> | undefined)?.token
        : undefined;
    const presented =
      /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ??
      (typeof fromQuery === 'string' ? fromQuery : undefined);
    if (presented === undefined || !constantTimeEqual(presented, config.operatorToken)) {
      return sendGatewayRefusal(reply, 'invalid-operator-token');
    }
    request.secretFoundRight();
  });

  const presentPending = async (transaction: TransactionRecord) => {
    // The payer's phone says who asks: "Pay 1,500 UGX to ACME?".
    const apiUser = await services.store.apiUsers.findById(transaction.apiUserId);
    const partner =
      apiUser === undefined ? undefined : await services.store.partners.findById(apiUser.partnerId);
    return {
      transactionId: transaction.id,
      kind: transaction.kind,
      ...(services.transactions.present(transaction) as object),
      expiresAtMs: transaction.decideAtMs,
      ...(partner === undefined ? {} : { partnerName: partner.name }),
    };
  };

  app.post(
    '/partners',
    {
      schema: { tags: ['admin'], body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }) },
    },
    async (request, reply) => reply.code(201).send({ id: await access.createPartner(request.body.name) }),
  );

  app.post(
    '/partners/:partnerId/subscription-keys',
    {
      schema: {
        tags: ['admin'],
        params: Type.Object({ partnerId: Type.String() }),
        body: Type.Object({ product: Product }),
      },
    },
    async (request, reply) => {
      const key = await access.issueSubscriptionKey(request.params.partnerId, request.body.product);
      if (key === undefined) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'RESOURCE_NOT_FOUND',
          message: 'No partner has this id.',
        });
      }
      return reply.code(201).send({ subscriptionKey: key, product: request.body.product });
    },
  );

  app.post(
    '/partners/:partnerId/api-users',
    {
      schema: {
        tags: ['admin'],
        params: Type.Object({ partnerId: Type.String() }),
        body: Type.Object({
          providerCallbackHost: Type.String({ minLength: 1, maxLength: 253 }),
          targetEnvironment: Type.String(),
        }),
      },
    },
    async (request, reply) => {
      const { providerCallbackHost, targetEnvironment } = request.body;
      if (!isTargetEnvironment(targetEnvironment)) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'BAD_REQUEST',
          message: `targetEnvironment must be one of ${Object.keys(TARGET_ENVIRONMENTS).join(', ')}.`,
        });
      }
      const created = await access.createApiUserWithKey({
        partnerId: request.params.partnerId,
        providerCallbackHost,
        targetEnvironment,
      });
      if (created === undefined) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'RESOURCE_NOT_FOUND',
          message: 'No partner has this id.',
        });
      }
      const { apiUserId, apiKey } = created;
      return reply.code(201).send({ apiUserId, apiKey, providerCallbackHost, targetEnvironment });
    },
  );

  app.post(
    '/partners/:partnerId/fund',
    {
      schema: {
        tags: ['admin'],
        params: Type.Object({ partnerId: Type.String() }),
        body: Type.Composite([Money, Type.Object({ product: Product })]),
      },
    },
    async (request, reply) => {
      const { product, amount, currency } = request.body;
      const balance = await operator.fundPartner(request.params.partnerId, product, amount, currency);
      return 'kind' in balance ? sendFailure(reply, balance) : balance;
    },
  );

  app.put(
    '/account-holders/:partyIdType/:partyId',
    {
      schema: {
        tags: ['admin'],
        params: PartyPath,
        body: Type.Object({
          givenName: Type.Optional(Type.String({ maxLength: 100 })),
          familyName: Type.Optional(Type.String({ maxLength: 100 })),
          status: Type.Optional(Type.Union([Type.Literal('ACTIVE'), Type.Literal('BLOCKED')])),
          approvalMode: Type.Optional(Type.Union([Type.Literal('AUTO'), Type.Literal('INTERACTIVE')])),
          pin: Type.Optional(Type.String()),
          birthdate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' })),
          locale: Type.Optional(Type.String({ maxLength: 16 })),
          gender: Type.Optional(Type.String({ maxLength: 16 })),
        }),
      },
    },
    async (request, reply) => {
      const party = partyOf(request.params);
      if (party === undefined) {
        return sendFailure(reply, badParty);
      }
      const holder = await operator.upsertAccountHolder({ ...party, ...request.body });
      return 'kind' in holder ? sendFailure(reply, holder) : holderView(holder);
    },
  );

  app.get(
    '/account-holders/:partyIdType/:partyId',
    { schema: { tags: ['admin'], params: PartyPath } },
    async (request, reply) => {
      const party = partyOf(request.params);
      const holder = party === undefined ? badParty : await operator.findAccountHolder(party);
      return 'kind' in holder ? sendFailure(reply, holder) : holderView(holder);
    },
  );

  app.post(
    '/account-holders/:partyIdType/:partyId/fund',
    { schema: { tags: ['admin'], params: PartyPath, body: Money } },
    async (request, reply) => {
      const party = partyOf(request.params);
      const balance =
        party === undefined
          ? badParty
          : await operator.fundAccountHolder(party, request.body.amount, request.body.currency);
      return 'kind' in balance ? sendFailure(reply, balance) : balance;
    },
  );

  app.get(
    '/account-holders/:partyIdType/:partyId/pending',
    { schema: { tags: ['admin'], params: PartyPath } },
    async (request, reply) => {
      const party = partyOf(request.params);
      const pending = party === undefined ? badParty : await operator.listAwaitingPayer(party);
      return 'kind' in pending ? sendFailure(reply, pending) : Promise.all(pending.map(presentPending));
    },
  );

  for (const answer of ['approve', 'reject'] as const) {
    app.post(
      `/transactions/:transactionId/${answer}`,
      {
        schema: {
          tags: ['admin'],
          summary: `The payer ${answer}s a pending request (body \`{"pin": "1234"}\` when the payer has a PIN)`,
          params: Type.Object({ transactionId: Type.String() }),
        },
      },
      async (request, reply) => {
        // The body is optional (no PIN, no body), so it is read here rather than required by a schema.
        const pin: unknown = (request.body as { pin?: unknown } | undefined)?.pin;
        if (pin !== undefined && typeof pin !== 'string') {
          return sendFailure(reply, {
            kind: 'failure',
            code: 'BAD_REQUEST',
            message: 'pin must be a string of digits.',
          });
        }
        const outcome = await operator.answerAsPayer(
          request.params.transactionId,
          answer === 'approve' ? 'APPROVE' : 'REJECT',
          pin,
        );
        return outcome.kind === 'failure' ? sendFailure(reply, outcome) : presentPending(outcome.transaction);
      },
    );
  }

  app.get(
    '/api-users/:apiUserId/transactions/:referenceId',
    {
      schema: {
        tags: ['admin'],
        summary: 'A transaction with its status history, ledger postings and callback deliveries',
        params: Type.Object({ apiUserId: Type.String(), referenceId: Type.String() }),
      },
    },
    async (request, reply) => {
      const detail = await operator.transactionDetail(request.params.apiUserId, request.params.referenceId);
      if ('kind' in detail) {
        return sendFailure(reply, detail);
      }
      // bigint has no JSON form: amounts and ledger ids leave as decimal strings.
      return JSON.parse(
        JSON.stringify(detail, (_key, value: unknown) =>
          typeof value === 'bigint' ? value.toString() : value,
        ),
      );
    },
  );

  const jsonSafe = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)),
    );
  const summaryOf = (transaction: TransactionRecord) => ({
    id: transaction.id,
    referenceId: transaction.referenceId,
    apiUserId: transaction.apiUserId,
    kind: transaction.kind,
    product: transaction.product,
    status: transaction.status,
    reason: transaction.reason,
    amount: formatAmount(
      transaction.amountMinor,
      CURRENCY_MINOR_UNITS[transaction.currency as keyof typeof CURRENCY_MINOR_UNITS] ?? 0,
    ),
    currency: transaction.currency,
    partyIdType: transaction.partyIdType,
    partyId: transaction.partyId,
    awaitingPayer: transaction.awaitingPayer,
    createdAtMs: transaction.createdAtMs,
    updatedAtMs: transaction.updatedAtMs,
  });

  app.get(
    '/transactions',
    {
      schema: {
        tags: ['admin'],
        summary: 'Transactions, newest first, filtered',
        querystring: Type.Object({
          product: Type.Optional(Product),
          status: Type.Optional(
            Type.Union(['PENDING', 'SUCCESSFUL', 'FAILED', 'CANCELLED'].map((s) => Type.Literal(s))),
          ),
          apiUserId: Type.Optional(Type.String()),
          partyId: Type.Optional(Type.String()),
          fromMs: Type.Optional(Type.Integer()),
          toMs: Type.Optional(Type.Integer()),
          ...PAGE_CURSOR,
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
      },
    },
    async (request, reply) => {
      const { product, status, apiUserId, partyId, fromMs, toMs, limit } = request.query;
      const before = cursorOf(request.query);
      if (before !== undefined && 'kind' in before) {
        return sendFailure(reply, before);
      }
      const transactions = await operator.listTransactions({
        limit: limit ?? 100,
        ...(product === undefined ? {} : { product }),
        ...(status === undefined ? {} : { status: status as 'PENDING' }),
        ...(apiUserId === undefined ? {} : { apiUserId }),
        ...(partyId === undefined ? {} : { partyId }),
        ...(fromMs === undefined ? {} : { fromMs }),
        ...(toMs === undefined ? {} : { toMs }),
        ...(before === undefined ? {} : { before }),
      });
      return transactions.map(summaryOf);
    },
  );

  app.get(
    '/transactions/:transactionId',
    {
      schema: {
        tags: ['admin'],
        summary: 'A transaction in full',
        params: Type.Object({ transactionId: Type.String() }),
      },
    },
    async (request, reply) => {
      const detail = await operator.transactionDetailById(request.params.transactionId);
      if ('kind' in detail) {
        return sendFailure(reply, detail);
      }
      return jsonSafe({
        ...detail,
        summary: summaryOf(detail.transaction),
        request: JSON.parse(detail.transaction.requestJson) as unknown,
        statusBody: services.transactions.present(detail.transaction),
      });
    },
  );

  app.get(
    '/accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Ledger accounts with their balances, newest first',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
        }),
      },
    },
    async (request) => jsonSafe(await operator.listAccounts(request.query.limit ?? 500)),
  );

  app.get(
    '/accounts/:accountId/postings',
    {
      schema: {
        tags: ['admin'],
        summary: "An account's ledger entries, newest first",
        params: Type.Object({ accountId: Type.String() }),
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
        }),
      },
    },
    async (request) =>
      jsonSafe(await operator.accountPostings(request.params.accountId, request.query.limit ?? 500)),
  );

  app.get('/api-users', { schema: { tags: ['admin'], summary: 'API users, newest first' } }, async () =>
    operator.listApiUsers(500),
  );

  app.post(
    '/api-users/:apiUserId/revoke',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API user: its API keys no longer log in and its access tokens are refused',
        params: Type.Object({ apiUserId: Type.String() }),
      },
    },
    async (request, reply) => {
      const revoked = await access.revokeApiUser(request.params.apiUserId);
      return revoked === undefined
        ? sendFailure(reply, {
            kind: 'failure',
            code: 'RESOURCE_NOT_FOUND',
            message: 'No API user has this id.',
          })
        : revoked;
    },
  );

  app.post(
    '/subscription-keys/revoke',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a subscription key (sent in the body, so that it stays out of URLs and logs)',
        body: Type.Object({ subscriptionKey: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (request, reply) => {
      const revoked = await access.revokeSubscriptionKey(request.body.subscriptionKey);
      if (revoked === undefined) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'RESOURCE_NOT_FOUND',
          message: 'No partner has this subscription key.',
        });
      }
      const { partnerId, product, origin, createdAtMs, revokedAtMs } = revoked;
      return { partnerId, product, origin, createdAtMs, revokedAtMs };
    },
  );

  app.get(
    '/account-holders',
    { schema: { tags: ['admin'], summary: 'Account holders, newest first' } },
    async () => (await operator.listAccountHolders(500)).map(holderView),
  );

  app.get(
    '/stats',
    {
      schema: {
        tags: ['admin'],
        summary: 'Volume, success rate and callback latency per time bucket',
        querystring: Type.Object({
          sinceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080, default: 60 })),
          bucketSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, default: 60 })),
        }),
      },
    },
    async (request) => {
      const sinceMinutes = request.query.sinceMinutes ?? 60;
      return operator.stats(Date.now() - sinceMinutes * 60_000, (request.query.bucketSeconds ?? 60) * 1000);
    },
  );

  // Open event streams never end by themselves: a server closing waits for its connections, so without this a
  // dashboard left open kept `npm start` from stopping on Ctrl-C. EventSource reconnects to the next server.
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) {
      end();
    }
  });

  app.get(
    '/events',
    {
      schema: { tags: ['admin'], summary: 'Server-sent events: transactions and callbacks as they change' },
      // A HEAD would run this handler, and Node sends a HEAD's headers only when its answer ends, which a stream
      // never does: the client would wait for ever while a subscriber and its heartbeat stay registered.
      exposeHeadRoute: false,
    },
    (request, reply) => {
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      reply.raw.write(': connected\n\n');
      const unsubscribe = services.events.subscribe((event) =>
        reply.raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      );
      // A comment every 15 s keeps proxies from closing an idle stream.
      const heartbeat = setInterval(() => reply.raw.write(': heartbeat\n\n'), 15_000);
      const end = () => reply.raw.end();
      openStreams.add(end);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(end);
      });
      reply.hijack();
    },
  );

  app.get(
    '/callbacks',
    {
      schema: {
        tags: ['admin'],
        summary: 'The callback delivery log, newest first, with every attempt',
        querystring: Type.Object({
          state: Type.Optional(
            Type.Union([Type.Literal('PENDING'), Type.Literal('DELIVERED'), Type.Literal('DEAD')]),
          ),
          ...PAGE_CURSOR,
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
      },
    },
    async (request, reply) => {
      const before = cursorOf(request.query);
      if (before !== undefined && 'kind' in before) {
        return sendFailure(reply, before);
      }
      const callbacks = await operator.listCallbacks({
        limit: request.query.limit ?? 50,
        ...(request.query.state === undefined ? {} : { state: request.query.state }),
        ...(before === undefined ? {} : { before }),
      });
      return callbacks.map((callback) => ({
        ...callback,
        body: JSON.parse(callback.bodyJson) as unknown,
        bodyJson: undefined,
      }));
    },
  );

  app.post(
    '/callbacks/:callbackId/replay',
    {
      schema: {
        tags: ['admin'],
        summary: 'Send a callback again now',
        params: Type.Object({ callbackId: Type.String() }),
      },
    },
    async (request, reply) => {
      const outcome = await operator.replayCallback(request.params.callbackId);
      return outcome.kind === 'failure'
        ? sendFailure(reply, outcome)
        : reply.code(202).send({ replayed: request.params.callbackId });
    },
  );

  await app.register(faultRoutes, { services, faults });

  app.get(
    '/ledger/audit',
    { schema: { tags: ['admin'], summary: 'Check every ledger invariant' } },
    async () => operator.auditLedger(),
  );
};
