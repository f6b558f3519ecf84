/**
 * The two seed pages (shared/seeds) replayed against a running server: their example bodies are sent as the
 * pages print them, and the answers are compared with the pages' own examples. Only what a sandbox must
 * change is changed: the currency (the sandbox allows EUR only) and, for a FAILED example, the payee (a
 * sandbox test number decides the outcome).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import { ProductClient } from './support/momo-client.js';
import { uniqueMsisdn } from './support/parties.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Seed 000's error code enum, verbatim (note `TRANSACTION_CANCELED.` with its dot). */
const SEED_000_ERROR_CODES = [
  'PAYEE_NOT_FOUND',
  'PAYER_NOT_FOUND',
  'NOT_ALLOWED',
  'NOT_ALLOWED_TARGET_ENVIRONMENT',
  'INVALID_CALLBACK_URL_HOST',
  'INVALID_CURRENCY',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_PROCESSING_ERROR',
  'NOT_ENOUGH_FUNDS',
  'PAYER_LIMIT_REACHED',
  'PAYEE_NOT_ALLOWED_TO_RECEIVE',
  'PAYMENT_NOT_APPROVED',
  'RESOURCE_NOT_FOUND',
  'APPROVAL_REJECTED',
  'EXPIRED',
  'TRANSACTION_CANCELED.',
  'RESOURCE_ALREADY_EXIST',
  'TRANSACTION_NOT_COMPLETED',
  'TRANSACTION_NOT_FOUND',
  'INFORMATIONAL_SCOPE_INSTRUCTION',
  'MISSING_SCOPE_INSTRUCTION',
  'MORE_THAN_ONE_FINANCIAL_SCOPE_NOT_SUPPORTED',
  'UNSUPPORTED_SCOPE_COMBINATION',
  'CONSENT_MISMATCH',
  'UNSUPPORTED_SCOPE',
  'NOT_FOUND',
];

/** Seed 000's 409 example, verbatim. */
const SEED_000_CONFLICT = {
  code: 'RESOURCE_ALREADY_EXIST',
  message: 'Duplicated reference id. Creation of resource failed.',
};

/** Seed 003's 200 examples, verbatim: numbers where the schema says string. */
const SEED_003_SUCCESSFUL = {
  amount: 100,
  currency: 'UGX',
  financialTransactionId: 363440463,
  externalId: 83453,
  payee: { partyIdType: 'MSISDN', partyId: 4609274685 },
  status: 'SUCCESSFUL',
};
const SEED_003_PAYER_LIMIT_REACHED = {
  amount: 100,
  currency: 'UGX',
  externalId: 83453,
  payee: { partyIdType: 'MSISDN', partyId: 4609274685 },
  status: 'FAILED',
  reason: { code: 'PAYER_LIMIT_REACHED', message: "The payer's limit has been breached." },
};
const SEED_003_NOT_ENOUGH_FUNDS = {
  amount: 100,
  currency: 'UGX',
  externalId: 83453,
  payee: { partyIdType: 'MSISDN', partyId: 4609274685 },
  status: 'FAILED',
  reason: { code: 'NOT_ENOUGH_FUNDS', message: 'The payer does not have enough funds.' },
};

/** Seed 003's 404 example, verbatim. */
const SEED_003_NOT_FOUND = { code: 'RESOURCE_NOT_FOUND', message: 'Requested resource was not found.' };

/** The sandbox allows EUR only; everything else of an example is kept. */
const SANDBOX_CURRENCY = 'EUR';

/** A seed example as a creation body: its request fields, numbers left as numbers. */
function transferRequestOf(
  example: typeof SEED_003_SUCCESSFUL | typeof SEED_003_PAYER_LIMIT_REACHED,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    amount: example.amount,
    currency: SANDBOX_CURRENCY,
    externalId: example.externalId,
    payee: example.payee,
    ...overrides,
  };
}

describe.each(ENGINES)('seed 000: POST /collection/v2_0/preapproval on %s', (engine) => {
  let server: TestServer;
  let client: ProductClient;

  /** Seed 000's request body, with the values its descriptions ask for. */
  const seedBody = (partyId = uniqueMsisdn()) => ({
    payer: { partyIdType: 'MSISDN', partyId },
    payerCurrency: SANDBOX_CURRENCY,
    payerMessage: 'Approve recurring payments to the shop',
    validityTime: 3600,
  });

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = await ProductClient.forProduct(server.baseUrl, 'collection');
  });
  afterAll(async () => {
    await server.close();
  });

  it("accepts the seed's body with 202 and an empty body", async () => {
    const created = await client.create('/v2_0/preapproval', seedBody());
    expect(created.status).toBe(202);
    expect(created.text).toBe('');
  });

  it("reads SUCCESSFUL with the seed body's payer, payerCurrency and payerMessage", async () => {
    const body = seedBody();
    const created = await client.create('/v2_0/preapproval', body);
    const final = await client.waitForFinal('/v2_0/preapproval', created.referenceId);
    expect(final).toEqual({
      payer: body.payer,
      payerCurrency: 'EUR',
      payerMessage: body.payerMessage,
      status: 'SUCCESSFUL',
      expirationDateTime: expect.any(String),
    });
  });

  it('sets expirationDateTime validityTime (3600 s) after the approval', async () => {
    const created = await client.create('/v2_0/preapproval', seedBody());
    const final = await client.waitForFinal('/v2_0/preapproval', created.referenceId);
    const detail = await admin(
      server.baseUrl,
      'GET',
      `/api-users/${client.credentials.apiUserId}/transactions/${created.referenceId}`,
    );
    const approval = (detail.body as { events: { status: string; atMs: number }[] }).events.find(
      (event) => event.status === 'SUCCESSFUL',
    );
    expect(approval).toBeDefined();
    const expiresAtMs = Date.parse(String(final.expirationDateTime));
    expect(Math.abs(expiresAtMs - (approval?.atMs ?? 0) - 3600_000)).toBeLessThanOrEqual(1000);
  });

  it('answers a duplicate X-Reference-Id with exactly the seed 409 body', async () => {
    const first = await client.create('/v2_0/preapproval', seedBody());
    const second = await client.create('/v2_0/preapproval', seedBody(), { referenceId: first.referenceId });
    expect(second.status).toBe(409);
    expect(second.body).toEqual(SEED_000_CONFLICT);
  });

  it("answers invalid data with 400 and a {code, message} body whose code is in the seed's list", async () => {
    const created = await client.create('/v2_0/preapproval', { ...seedBody(), payerCurrency: 'UGX' });
    expect(created.status).toBe(400);
    expect(created.body).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(SEED_000_ERROR_CODES).toContain((created.body as { code: string }).code);
  });
});

describe.each(ENGINES)('seed 003: GET /remittance/v1_0/transfer/{referenceId} on %s', (engine) => {
  let server: TestServer;
  let client: ProductClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = await ProductClient.forProduct(server.baseUrl, 'remittance');
  });
  afterAll(async () => {
    await server.close();
  });

  it("accepts a transfer carrying the example's numbers where the schema says string", async () => {
    const created = await client.create('/v1_0/transfer', transferRequestOf(SEED_003_SUCCESSFUL));
    expect(created.status).toBe(202);
  });

  it("reads the SUCCESSFUL example back with the schema's strings: '100', '83453', '4609274685'", async () => {
    const created = await client.create('/v1_0/transfer', transferRequestOf(SEED_003_SUCCESSFUL));
    const response = await client.getFinal('/v1_0/transfer', created.referenceId);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      amount: '100',
      currency: SANDBOX_CURRENCY,
      financialTransactionId: expect.stringMatching(/^\d+$/),
      externalId: '83453',
      payee: { partyIdType: 'MSISDN', partyId: '4609274685' },
      status: 'SUCCESSFUL',
    });
  });

  it('answers the SUCCESSFUL example with exactly its fields', async () => {
    const created = await client.create('/v1_0/transfer', transferRequestOf(SEED_003_SUCCESSFUL));
    const final = await client.waitForFinal('/v1_0/transfer', created.referenceId);
    expect(Object.keys(final).sort()).toEqual(Object.keys(SEED_003_SUCCESSFUL).sort());
  });

  it('answers the PAYER_LIMIT_REACHED example as the seed prints it, with 200', async () => {
    // 46733123462 is the sandbox number that fails with PAYER_LIMIT_REACHED; sent as a number, as the seed does.
    const payee = { partyIdType: 'MSISDN', partyId: 46733123462 };
    const created = await client.create(
      '/v1_0/transfer',
      transferRequestOf(SEED_003_PAYER_LIMIT_REACHED, { payee }),
    );
    expect(created.status).toBe(202);
    const response = await client.getFinal('/v1_0/transfer', created.referenceId);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...SEED_003_PAYER_LIMIT_REACHED,
      amount: '100',
      currency: SANDBOX_CURRENCY,
      externalId: '83453',
      payee: { partyIdType: 'MSISDN', partyId: '46733123462' },
    });
  });

  it('answers the NOT_ENOUGH_FUNDS example as the seed prints it, with 200', async () => {
    // A partner account opens with 1000000 EUR in the sandbox: one cent more than that cannot be paid.
    const partner = await ProductClient.forProduct(server.baseUrl, 'remittance');
    const created = await partner.create(
      '/v1_0/transfer',
      transferRequestOf(SEED_003_SUCCESSFUL, { amount: 1000000.01 }),
    );
    expect(created.status).toBe(202);
    const response = await partner.getFinal('/v1_0/transfer', created.referenceId);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...SEED_003_NOT_ENOUGH_FUNDS,
      amount: '1000000.01',
      currency: SANDBOX_CURRENCY,
      externalId: '83453',
      payee: { partyIdType: 'MSISDN', partyId: '4609274685' },
    });
  });

  it("answers the seed's 400 case, an incorrectly formatted reference id", async () => {
    const response = await client.get('/v1_0/transfer/incorrect_referenceId');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: expect.any(String), message: expect.any(String) });
  });

  it("answers the seed's 404 case with exactly its body", async () => {
    const response = await client.get(`/v1_0/transfer/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(SEED_003_NOT_FOUND);
  });
});
