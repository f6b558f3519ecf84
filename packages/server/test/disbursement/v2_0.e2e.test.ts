/**
 * Disbursement v2_0 end to end over a real port: POST /disbursement/v2_0/deposit and /disbursement/v2_0/refund
 * create the same resources as their v1_0 POSTs, read with the v1_0 GET; v2_0 has no GET of its own. The
 * deposit and refund specs run with both versions' POSTs in v1_0.e2e.test.ts; here is what only v2_0 shows
 * and how the two versions' deposits and refunds count together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { DUPLICATE_REFERENCE_ID, ProductClient, refundBody, transferBody } from '../support/momo-client.js';
import { samePartnerClients, successfulCollection } from '../support/parties.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const GATEWAY_NOT_FOUND = { statusCode: 404, message: 'Resource not found' };

/** Each pair: the version of a first call, then the version of the second. */
const ACROSS_VERSIONS = [
  ['v1_0', 'v2_0'],
  ['v2_0', 'v1_0'],
] as const;

describe.each(ENGINES)('disbursement v2_0 on %s', (engine) => {
  let server: TestServer;
  let client: ProductClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = await ProductClient.forProduct(server.baseUrl, 'disbursement');
  });
  afterAll(() => server.close());

  const partnerWithBothProducts = () =>
    samePartnerClients(server.baseUrl, ['collection', 'disbursement'], { name: 'Refunding shop' });

  describe('deposit', () => {
    it.each(ACROSS_VERSIONS)(
      'answers a %s deposit X-Reference-Id reused for a %s deposit with 409 RESOURCE_ALREADY_EXIST and keeps the first deposit',
      async (firstVersion, secondVersion) => {
        const first = await client.create(`/${firstVersion}/deposit`, transferBody({ amount: '10' }));
        const second = await client.create(`/${secondVersion}/deposit`, transferBody({ amount: '99' }), {
          referenceId: first.referenceId,
        });
        expect(second.status).toBe(409);
        expect(second.body).toEqual(DUPLICATE_REFERENCE_ID);
        expect((await client.get(`/v1_0/deposit/${first.referenceId}`)).body).toMatchObject({ amount: '10' });
      },
    );

    it('has no GET under v2_0 for a deposit: 404 in the gateway shape', async () => {
      const created = await client.create('/v2_0/deposit', transferBody());
      const response = await client.get(`/v2_0/deposit/${created.referenceId}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(GATEWAY_NOT_FOUND);
    });

    it('has no transfer under v2_0: 404 in the gateway shape', async () => {
      const created = await client.create('/v2_0/transfer', transferBody());
      expect(created.status).toBe(404);
      expect(created.body).toEqual(GATEWAY_NOT_FOUND);
      expect((await client.get(`/v1_0/transfer/${created.referenceId}`)).status).toBe(404);
    });
  });

  describe('refund', () => {
    it.each(ACROSS_VERSIONS)(
      'counts a %s refund and a %s refund together against what is left of the payment',
      async (firstVersion, secondVersion) => {
        const partner = await partnerWithBothProducts();
        const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
        const first = await partner.disbursement.create(
          `/${firstVersion}/refund`,
          refundBody(referenceId, { amount: '40' }),
        );
        await partner.disbursement.waitForFinal('/v1_0/refund', first.referenceId);
        const second = await partner.disbursement.create(
          `/${secondVersion}/refund`,
          refundBody(referenceId, { amount: '60.01' }),
        );
        expect(second.status).toBe(400);
        expect(second.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/\b60 EUR\b/) });
      },
    );

    it('has no GET under v2_0 for a refund: 404 in the gateway shape', async () => {
      const partner = await partnerWithBothProducts();
      const { referenceId } = await successfulCollection(partner, server.baseUrl, '100');
      const created = await partner.disbursement.create('/v2_0/refund', refundBody(referenceId));
      const response = await partner.disbursement.get(`/v2_0/refund/${created.referenceId}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(GATEWAY_NOT_FOUND);
    });
  });
});
