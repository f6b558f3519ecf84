/**
 * /admin/v1 — the operator API (not part of MoMo's wire): partners and their subscription keys, API users
 * outside the sandbox, account holders, funding, the payer's answers, and the ledger audit. It needs
 * `Authorization: Bearer $OPERATOR_TOKEN`; without a token configured it is open in sandbox mode only.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  isTargetEnvironment,
  PARTY_ID_TYPES,
  type PartyIdType,
  PRODUCTS,
  TARGET_ENVIRONMENTS,
} from '@openmomo/contract';
import { Type } from '@sinclair/typebox';
import { constantTimeEqual } from '../../../services/secrets.js';
import type { AccountHolderRecord, TransactionRecord } from '../../../storage/store.js';
import type { AppServices } from '../../app-services.js';
import { sendFailure, sendGatewayRefusal } from '../../momo-error-mapping.js';

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

export const adminRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (
  app,
  { services },
) => {
  const { config, operator, access } = services;

  app.addHook('onRequest', async (request, reply) => {
    if (config.operatorToken === null) {
      if (!config.sandboxMode) {
        return sendFailure(reply, {
          kind: 'failure',
          code: 'NOT_ALLOWED',
          message: 'The admin API needs OPERATOR_TOKEN outside sandbox mode.',
        });
      }
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (match?.[1] === undefined || !constantTimeEqual(match[1], config.operatorToken)) {
      return sendGatewayRefusal(reply, 'invalid-operator-token');
    }
  });

  const presentPending = (transaction: TransactionRecord) => ({
    transactionId: transaction.id,
    kind: transaction.kind,
    ...(services.transactions.present(transaction) as object),
    expiresAtMs: transaction.decideAtMs,
  });

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
      return 'kind' in pending ? sendFailure(reply, pending) : pending.map(presentPending);
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
      const detail = await operator.transactionDetail(
        request.params.apiUserId,
        request.params.referenceId.toLowerCase(),
      );
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
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
      },
    },
    async (request) => {
      const callbacks = await operator.listCallbacks({
        limit: request.query.limit ?? 50,
        ...(request.query.state === undefined ? {} : { state: request.query.state }),
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

  app.get(
    '/ledger/audit',
    { schema: { tags: ['admin'], summary: 'Check every ledger invariant' } },
    async () => operator.auditLedger(),
  );
};
