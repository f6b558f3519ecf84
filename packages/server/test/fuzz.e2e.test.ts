/**
 * Malformed input on every creation endpoint, generated: wrong types, huge or odd strings, invalid UTF-8,
 * negative and overflowing amounts; odd ids in the path of every MoMo route that takes one; and both on every
 * operator route. Never a 5xx, always a MoMo body, never a partial write: only 202 answers create transactions,
 * and the ledger stays balanced.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, auditLedger } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import { ProductClient, type ProductName } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const CREATION_PATHS: [ProductName, string][] = [
  ['collection', '/v1_0/requesttopay'],
  ['collection', '/v1_0/requesttowithdraw'],
  ['collection', '/v2_0/preapproval'],
  ['collection', '/v2_0/invoice'],
  ['collection', '/v2_0/payment'],
  ['disbursement', '/v1_0/transfer'],
  ['disbursement', '/v1_0/deposit'],
  ['disbursement', '/v1_0/refund'],
  ['remittance', '/v1_0/transfer'],
  ['remittance', '/v2_0/cashtransfer'],
];

/** Any JSON value, biased toward the field names and shapes MoMo bodies have. */
const oddText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    '0x10',
    'NaN',
    '9'.repeat(40),
    "o'clock",
    '<script>',
    '../../etc/passwd',
    '\u0000',
    '\ud800',
  ),
  fc.string({ minLength: 200, maxLength: 3000 }),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    oddText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('amount', 'currency', 'payer', 'payee', 'partyIdType', 'partyId', 'x'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;
const bodyArbitrary = fc.oneof(
  jsonValue.map((value) => JSON.stringify(value)),
  fc
    .record({
      amount: fc.oneof(oddText, fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double()),
      currency: fc.oneof(fc.constantFrom('EUR', 'UGX', 'eur', ''), oddText),
      payer: fc.oneof(
        fc.record({ partyIdType: fc.constantFrom('MSISDN', 'EMAIL', 'PARTY_CODE', 'X'), partyId: oddText }),
        jsonValue,
      ),
      payee: fc.oneof(
        fc.record({ partyIdType: fc.constantFrom('MSISDN', 'EMAIL'), partyId: oddText }),
        jsonValue,
      ),
      payerMessage: oddText,
      validityTime: fc.oneof(fc.integer(), oddText),
    })
    .map((body) => JSON.stringify(body)),
  // Bytes that are not UTF-8.
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((bytes) =>
      Buffer.concat([
        Buffer.from('{"amount":"'),
        Buffer.from(bytes),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
    ),
);

function isMomoErrorBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) {
    return false;
  }
  const record = body as Record<string, unknown>;
  const wallet = typeof record.code === 'string' && typeof record.message === 'string';
  const gateway = typeof record.statusCode === 'number' && typeof record.message === 'string';
  return wallet || gateway;
}

describe.each(ENGINES)('malformed input on %s', (engine) => {
  let server: TestServer;
  const clients = new Map<ProductName, ProductClient>();
  beforeAll(async () => {
    server = await startTestServer(engine);
    for (const product of ['collection', 'disbursement', 'remittance'] as const) {
      clients.set(product, await ProductClient.forProduct(server.baseUrl, product));
    }
  });
  afterAll(() => server.close());

  it('never answers 5xx, always in a MoMo body, and creates a transaction only on 202', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CREATION_PATHS), bodyArbitrary, async ([product, path], body) => {
        const client = clients.get(product) as ProductClient;
        const response = await fetch(`${server.baseUrl}/${product}${path}`, {
          method: 'POST',
          headers: client.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
          body,
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        if (response.status === 202) {
          accepted++;
          expect(text).toBe('');
        } else {
          expect(isMomoErrorBody(JSON.parse(text)), text).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    const all = (await admin(server.baseUrl, 'GET', '/transactions?limit=500')).body as unknown[];
    expect(all).toHaveLength(accepted);
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it('answers odd reference ids in paths with 400, 404 or 414 in a MoMo body', async () => {
    const client = clients.get('collection') as ProductClient;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 80 }),
          fc.constantFrom('..%2F..%2Fadmin', '%00', 'a'.repeat(5000), '%E0%A4%A', '..'),
        ),
        async (id) => {
          const response = await fetch(
            `${server.baseUrl}/collection/v1_0/requesttopay/${encodeURIComponent(id)}`,
            { headers: client.headers() },
          );
          expect([400, 404, 414]).toContain(response.status);
          const body = (await response.json()) as Record<string, unknown>;
          expect(isMomoErrorBody(body)).toBe(true);
          // Exactly a wallet or a gateway body: never the framework's own, which echoes the whole URL back.
          expect([
            ['code', 'message'],
            ['message', 'statusCode'],
          ]).toContainEqual(Object.keys(body).sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it("answers odd ids in every MoMo route's path with a MoMo body, never a 5xx", async () => {
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths)
      .filter(([path]) => path.includes('{') && !path.startsWith('/admin/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
      );
    // Status reads, cancels, notifications, account look-ups, pre-approval lists and API users, at least.
    expect(routes.length).toBeGreaterThan(25);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 80 }),
          fc.string({ minLength: 36, maxLength: 400 }),
          fc.uuid(),
          fc.constantFrom('..%2F..%2Fadmin', '%00', 'a'.repeat(5000), '%E0%A4%A', '..', '-1', '0x10'),
        ),
        async ({ method, path }, id) => {
          const product = path.split('/')[1] as ProductName;
          const client = clients.get(product) ?? (clients.get('collection') as ProductClient);
          const response = await fetch(
            `${server.baseUrl}${path.replace(/\{[^}]+\}/g, encodeURIComponent(id))}`,
            {
              method,
              headers: client.headers({ 'X-Reference-Id': randomUUID(), 'Content-Type': 'application/json' }),
              ...(method === 'GET' ? {} : { body: '{}' }),
            },
          );
          const text = await response.text();
          expect(response.status, `${method} ${path} ${text}`).toBeLessThan(500);
          if (response.status >= 400) {
            // Exactly a wallet or a gateway body: never the framework's own, which echoes the whole URL back.
            expect([
              ['code', 'message'],
              ['message', 'statusCode'],
            ]).toContainEqual(Object.keys(JSON.parse(text) as object).sort());
          }
        },
      ),
      { numRuns: 300 },
    );
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it('answers malformed bodies and ids on every operator route with an error body, never a 5xx', async () => {
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths)
      // The event stream stays open by design; it takes neither body nor id.
      .filter(([path]) => path.startsWith('/admin/') && path !== '/admin/v1/events')
      .flatMap(([path, operations]) =>
        Object.keys(operations)
          .map((method) => ({ method: method.toUpperCase(), path }))
          // Reading a list or running the audit takes no input to malform.
          .filter(({ method }) => method !== 'GET' || path.includes('{')),
      );
    // Partners, keys, API users and their revocation, holders, funding, answers, callbacks, faults, at least.
    expect(routes.length).toBeGreaterThan(15);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 60 }),
          fc.uuid(),
          fc.constantFrom('..%2F..', '%00', '-1'),
        ),
        bodyArbitrary,
        async ({ method, path }, id, body) => {
          const response = await fetch(
            `${server.baseUrl}${path.replace(/\{[^}]+\}/g, encodeURIComponent(id))}`,
            {
              method,
              headers: { 'Content-Type': 'application/json' },
              ...(method === 'GET' || method === 'DELETE' ? {} : { body }),
            },
          );
          const text = await response.text();
          expect(response.status, `${method} ${path} ${text}`).toBeLessThan(500);
          if (response.status >= 400) {
            expect(isMomoErrorBody(JSON.parse(text)), `${method} ${path} ${text}`).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
    // Whatever the fuzzing made of the fault rules, none stays to trouble the tests after it.
    await admin(server.baseUrl, 'DELETE', '/faults');
    expect((await auditLedger(server.baseUrl)).balanced).toBe(true);
  });

  it('answers odd headers with a MoMo body, never a 5xx', async () => {
    const client = clients.get('collection') as ProductClient;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          referenceId: fc.oneof(
            fc.uuid(),
            oddText.filter((t) => /^[\x20-\x7e]*$/.test(t)),
          ),
          environment: fc.oneof(
            fc.constantFrom('sandbox', 'mtnuganda', 'SANDBOX', ''),
            fc.stringMatching(/^[a-z]{0,12}$/),
          ),
          authorization: fc.oneof(
            fc.constant(client.headers().Authorization as string),
            fc.stringMatching(/^[A-Za-z0-9 .]{0,40}$/),
          ),
        }),
        async ({ referenceId, environment, authorization }) => {
          const response = await fetch(`${server.baseUrl}/collection/v1_0/requesttopay`, {
            method: 'POST',
            headers: {
              ...client.headers({
                Authorization: authorization,
                'X-Target-Environment': environment,
                'X-Reference-Id': referenceId,
              }),
              'Content-Type': 'application/json',
            },
            body: '{"amount":"1","currency":"EUR","payer":{"partyIdType":"MSISDN","partyId":"46733123499"}}',
          });
          expect(response.status).toBeLessThan(500);
          if (response.status !== 202) {
            expect(isMomoErrorBody(await response.json())).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
