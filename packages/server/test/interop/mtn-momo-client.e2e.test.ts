/**
 * Interop: npm's most-installed MoMo client, `mtn-momo` (sparkplug/momoapi-node), unmodified, pointed at
 * OpenMoMo by its base URL only: sandbox user provisioning, collections and disbursements.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { newSubscriptionKey, sleep } from '../support/momo-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// The package is CommonJS with `export =`-style typings; load it as its users do.
const momo = createRequire(import.meta.url)('mtn-momo') as typeof import('mtn-momo');

/** The fields every call in mtn-momo's README sends alike: the sandbox currency and its two notes. */
const README_FIELDS = { currency: 'EUR', payerMessage: 'testing', payeeNote: 'hello' };

interface Credentials {
  primaryKey: string;
  userId: string;
  userSecret: string;
}

describe.each(ENGINES)('the mtn-momo npm client against OpenMoMo on %s', (engine) => {
  let server: TestServer;
  let client: ReturnType<typeof momo.create>;

  /** What `npx momo-sandbox` does: create an API user and an API key with a product's subscription key. */
  async function provision(): Promise<Credentials> {
    const primaryKey = newSubscriptionKey();
    const users = client.Users({ primaryKey });
    const userId = await users.create('127.0.0.1');
    const { apiKey } = await users.login(userId);
    return { primaryKey, userId, userSecret: apiKey };
  }

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = momo.create({
      callbackHost: '127.0.0.1',
      baseUrl: server.baseUrl,
      environment: momo.Environment.SANDBOX,
    });
  });
  afterAll(() => server.close());

  it('provisions a sandbox API user and key', async () => {
    const credentials = await provision();
    expect(credentials.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(credentials.userSecret).toMatch(/^[0-9a-f]{32}$/);
  });

  it('collects a payment with requestToPay and reads it back SUCCESSFUL', async () => {
    const collections = client.Collections(await provision());
    const referenceId = await collections.requestToPay({
      amount: '50',
      externalId: '123456',
      payer: { partyIdType: momo.PayerType.MSISDN, partyId: '256774290781' },
      ...README_FIELDS,
    });
    const transaction = await pollUntilSettled(() => collections.getTransaction(referenceId));
    expect(transaction).toMatchObject({
      status: 'SUCCESSFUL',
      amount: '50',
      currency: 'EUR',
      externalId: '123456',
    });
    expect((transaction as { financialTransactionId: string }).financialTransactionId).toMatch(/^\d+$/);
  });

  it('reads the collection balance and checks that a payer is active', async () => {
    const collections = client.Collections(await provision());
    const balance = await collections.getBalance();
    expect(balance).toEqual({ availableBalance: '1000000', currency: 'EUR' });
    // mtn-momo sends the id type upper case for Collections (MSISDN), lower case for Disbursements.
    expect(await collections.isPayerActive('256774290781', momo.PayerType.MSISDN)).toEqual({ result: true });
  });

  it("gets a rejected payment's reason as the seed pages document it, an object the client cannot map", async () => {
    const collections = client.Collections(await provision());
    const failure = await pollUntilSettled(rejectedPayment(collections));
    expect(failure).toBeInstanceOf(momo.UnspecifiedError);
    expect((failure as { transaction: { reason: unknown } }).transaction.reason).toMatchObject({
      code: 'APPROVAL_REJECTED',
    });
  });

  it('raises ApprovalRejectedError for a rejected payment when OpenMoMo sends the bare reason (REASON_FORMAT=string)', async () => {
    const liveLike = await startTestServer(engine, { config: { reasonFormat: 'string' } });
    try {
      const liveClient = momo.create({
        callbackHost: '127.0.0.1',
        baseUrl: liveLike.baseUrl,
        environment: momo.Environment.SANDBOX,
      });
      const primaryKey = newSubscriptionKey();
      const userId = await liveClient.Users({ primaryKey }).create('127.0.0.1');
      const { apiKey } = await liveClient.Users({ primaryKey }).login(userId);
      const collections = liveClient.Collections({ primaryKey, userId, userSecret: apiKey });
      const failure = await pollUntilSettled(rejectedPayment(collections));
      expect(failure).toBeInstanceOf(momo.ApprovalRejectedError);
    } finally {
      await liveLike.close();
    }
  });

  it('pays out with a disbursement transfer and reads it back SUCCESSFUL', async () => {
    const disbursements = client.Disbursements(await provision());
    const referenceId = await disbursements.transfer({
      amount: '100',
      externalId: '947354',
      payee: { partyIdType: momo.PayerType.MSISDN, partyId: '256774290781' },
      ...README_FIELDS,
    });
    const transfer = await pollUntilSettled(() => disbursements.getTransaction(referenceId));
    expect(transfer).toMatchObject({ status: 'SUCCESSFUL', amount: '100' });
    expect(await disbursements.getBalance()).toEqual({ availableBalance: '999900', currency: 'EUR' });
    // Unlike Collections, mtn-momo's Disbursements unwraps `result` itself.
    expect(await disbursements.isPayerActive('256774290781', momo.PayerType.MSISDN)).toBe(true);
  });
});

/** Reads a request to pay to the payer who always rejects, creating it on the first call. */
function rejectedPayment(collections: ReturnType<ReturnType<typeof momo.create>['Collections']>) {
  const created = collections.requestToPay({
    amount: '5',
    externalId: '1',
    payer: { partyIdType: momo.PayerType.MSISDN, partyId: '46733123451' },
    ...README_FIELDS,
  });
  return () => created.then((referenceId) => collections.getTransaction(referenceId));
}

/** Polls until the transaction is no longer PENDING; returns it, or the error the client threw for it. */
async function pollUntilSettled(read: () => Promise<{ status: string }>): Promise<unknown> {
  for (let i = 0; i < 200; i++) {
    try {
      const transaction = await read();
      if (transaction.status !== 'PENDING') {
        return transaction;
      }
    } catch (error) {
      return error;
    }
    await sleep(20);
  }
  throw new Error('still PENDING after 200 polls');
}
