/** The operator API's transaction and callback lists page back from their last row, skipping nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { type CallbackReceiver, startCallbackReceiver } from './support/callback-receiver.js';
import { ENGINES } from './support/engines.js';
import { CollectionClient, requestToPayBody } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface Row {
  id: string;
  createdAtMs: number;
}

describe.each(ENGINES)('operator lists on %s', (engine) => {
  const REQUESTS = 7;
  let server: TestServer;
  let receiver: CallbackReceiver;
  let client: CollectionClient;
  let referenceIds: string[];

  beforeAll(async () => {
    server = await startTestServer(engine);
    receiver = await startCallbackReceiver();
    client = await CollectionClient.create(server.baseUrl, { providerCallbackHost: '127.0.0.1' });
    // Sent at once, so that several are created in the same millisecond.
    const created = await Promise.all(
      Array.from({ length: REQUESTS }, () =>
        client.requestToPay(requestToPayBody(), { callbackUrl: receiver.url() }),
      ),
    );
    referenceIds = created.map((request) => request.referenceId);
    await receiver.waitFor(REQUESTS, 10_000);
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  /** Every page of `path`, two rows a page, each next page asked for from the last row of the one before. */
  async function everyPage(path: string): Promise<Row[]> {
    const rows: Row[] = [];
    let page = (await admin(server.baseUrl, 'GET', `${path}?limit=2`)).body as Row[];
    for (let pages = 0; page.length > 0 && pages < REQUESTS; pages++) {
      rows.push(...page);
      const last = page[page.length - 1] as Row;
      page = (
        await admin(server.baseUrl, 'GET', `${path}?limit=2&beforeMs=${last.createdAtMs}&beforeId=${last.id}`)
      ).body as Row[];
    }
    return rows;
  }

  it('pages back through every transaction once, as one long list shows them', async () => {
    const whole = (await admin(server.baseUrl, 'GET', '/transactions?limit=500')).body as Row[];
    expect(whole).toHaveLength(REQUESTS);
    expect((await everyPage('/transactions')).map((row) => row.id)).toEqual(whole.map((row) => row.id));
  });

  it('pages back through every callback once, as one long list shows them', async () => {
    const whole = (await admin(server.baseUrl, 'GET', '/callbacks?limit=500')).body as Row[];
    expect(whole).toHaveLength(REQUESTS);
    expect((await everyPage('/callbacks')).map((row) => row.id)).toEqual(whole.map((row) => row.id));
  });

  it("names each callback's transaction by the X-Reference-Id its partner gave it", async () => {
    const callbacks = (await admin(server.baseUrl, 'GET', '/callbacks?limit=500')).body as {
      referenceId: string;
    }[];
    expect(callbacks.map((callback) => callback.referenceId).sort()).toEqual([...referenceIds].sort());
  });

  it('lists the transactions of an API user named in upper case', async () => {
    const apiUserId = client.credentials.apiUserId.toUpperCase();

    const listed = (await admin(server.baseUrl, 'GET', `/transactions?apiUserId=${apiUserId}&limit=500`))
      .body as Row[];

    expect(listed).toHaveLength(REQUESTS);
  });

  it('shows the detail of a transaction named by its ids in upper case', async () => {
    const { apiUserId } = client.credentials;
    const referenceId = referenceIds[0] as string;

    const detail = await admin(
      server.baseUrl,
      'GET',
      `/api-users/${apiUserId.toUpperCase()}/transactions/${referenceId.toUpperCase()}`,
    );

    expect(detail.status).toBe(200);
  });

  it('refuses beforeId without the beforeMs of the same row', async () => {
    const response = await admin(server.baseUrl, 'GET', `/transactions?beforeId=x`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
