/** The operator's charts (`GET /admin/v1/stats`): what they count, per time bucket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import { CollectionClient, requestToPayBody } from './support/momo-client.js';
import { msisdnParty } from './support/parties.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface Bucket {
  readonly created: number;
  readonly successRate: number | null;
}

describe.each(ENGINES)('operator charts on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it('count payments and payouts with their success rate, and leave out pre-approvals that move no money', async () => {
    const client = await CollectionClient.create(server.baseUrl);
    const approved = await client.requestToPay(requestToPayBody());
    // The sandbox payer who rejects every request.
    const rejected = await client.requestToPay(requestToPayBody({ payer: msisdnParty('46733123451') }));
    const preapproval = await client.create('/v2_0/preapproval', {
      payer: msisdnParty('46733123499'),
      payerCurrency: 'EUR',
      validityTime: 600,
    });
    await client.waitForFinalStatus(approved.referenceId);
    await client.waitForFinalStatus(rejected.referenceId);
    await client.waitForFinal('/v2_0/preapproval', preapproval.referenceId);

    const buckets = (await admin(server.baseUrl, 'GET', '/stats?sinceMinutes=10&bucketSeconds=86400'))
      .body as Bucket[];

    // One bucket: a UTC day, which all three fall in (unless run within a second of midnight).
    expect(buckets).toEqual([expect.objectContaining({ created: 2, successRate: 0.5 })]);
  });
});
