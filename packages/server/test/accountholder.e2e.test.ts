/**
 * Account-holder look-ups on every product: …/v1_0/accountholder/{type}/{id}/active and
 * …/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo, plus the partner's balance of each product.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import { ProductClient, type ProductName } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const PRODUCTS: ProductName[] = ['collection', 'disbursement', 'remittance'];

describe.each(ENGINES)('account holders on %s', (engine) => {
  let server: TestServer;
  const clients = new Map<ProductName, ProductClient>();
  beforeAll(async () => {
    server = await startTestServer(engine);
    for (const product of PRODUCTS) {
      clients.set(product, await ProductClient.forProduct(server.baseUrl, product));
    }
    await admin(server.baseUrl, 'PUT', '/account-holders/MSISDN/256772123001', {
      givenName: 'Grace',
      familyName: 'Nakato',
      birthdate: '1990-04-01',
      locale: 'en_UG',
      gender: 'F',
    });
    await admin(server.baseUrl, 'PUT', '/account-holders/MSISDN/256772123002', { status: 'BLOCKED' });
  });
  afterAll(() => server.close());

  const client = (product: ProductName) => clients.get(product) as ProductClient;

  describe.each(PRODUCTS)('on %s', (product) => {
    it('answers active for an ordinary sandbox number, in either case of the id type', async () => {
      expect((await client(product).get('/v1_0/accountholder/msisdn/256772999999/active')).body).toEqual({
        result: true,
      });
      expect((await client(product).get('/v1_0/accountholder/MSISDN/256772999999/active')).body).toEqual({
        result: true,
      });
    });

    it('answers not active for a blocked holder and for the number that does not exist', async () => {
      expect((await client(product).get('/v1_0/accountholder/msisdn/256772123002/active')).body).toEqual({
        result: false,
      });
      expect((await client(product).get('/v1_0/accountholder/msisdn/46733123461/active')).body).toEqual({
        result: false,
      });
    });

    it('refuses an unknown id type or a malformed id with 400', async () => {
      expect((await client(product).get('/v1_0/accountholder/alias/abc/active')).status).toBe(400);
      expect((await client(product).get('/v1_0/accountholder/msisdn/+2567/active')).status).toBe(400);
    });

    it("answers the holder's basic user info", async () => {
      const response = await client(product).get('/v1_0/accountholder/msisdn/256772123001/basicuserinfo');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        given_name: 'Grace',
        family_name: 'Nakato',
        birthdate: '1990-04-01',
        locale: 'en_UG',
        gender: 'F',
        status: 'ACTIVE',
      });
    });

    it('answers 404 for the basic user info of the number that does not exist', async () => {
      const response = await client(product).get('/v1_0/accountholder/msisdn/46733123461/basicuserinfo');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    });

    it("answers the partner's balance of this product, in the environment's currency or a named one", async () => {
      expect(await client(product).balance()).toEqual({ availableBalance: '1000000', currency: 'EUR' });
      expect((await client(product).get('/v1_0/account/balance/eur')).body).toEqual({
        availableBalance: '1000000',
        currency: 'EUR',
      });
      const other = await client(product).get('/v1_0/account/balance/UGX');
      expect(other.status).toBe(400);
      expect(other.body).toMatchObject({ code: 'INVALID_CURRENCY' });
    });
  });
});
