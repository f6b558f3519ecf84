/** The operator API's accounts and their postings: newest first and bounded, however many there are. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BALANCE_LIMIT_MINOR } from '../src/domain/ledger/ledger.js';
import { fundFromFloat } from '../src/services/accounts.js';
import { admin } from './support/admin-client.js';
import { ENGINES } from './support/engines.js';
import { sleep } from './support/momo-client.js';
import { holderWithWallet } from './support/parties.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface AccountView {
  id: string;
  owner: string;
  ownerType: string;
  balance: string;
}

interface PostingView {
  transferId: string;
  amountMinor: string;
  amount: string;
}

describe.each(ENGINES)('operator accounts on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
    // The first funding opens the float it is paid from, in the same millisecond as the wallet: open it now.
    await holderWithWallet(server.baseUrl, '1');
  });
  afterAll(() => server.close());

  const accounts = async (query = '') =>
    (await admin(server.baseUrl, 'GET', `/accounts${query}`)).body as AccountView[];

  it('lists the newest accounts first, no more than the limit, each wallet named by its holder', async () => {
    const older = await holderWithWallet(server.baseUrl, '5');
    // Accounts opened in the same millisecond have no order between them.
    await sleep(5);
    const newer = await holderWithWallet(server.baseUrl, '6');
    const listed = await accounts('?limit=2');
    expect(listed.map((account) => account.owner)).toEqual([`MSISDN ${newer}`, `MSISDN ${older}`]);
    expect(listed.map((account) => account.balance)).toEqual(['6', '5']);
  });

  it("names a partner's account by the partner's name and the start of its id", async () => {
    const partner = (await admin(server.baseUrl, 'POST', '/partners', { name: 'Acme Shop' })).body as {
      id: string;
    };
    await admin(server.baseUrl, 'POST', `/partners/${partner.id}/fund`, {
      product: 'collection',
      amount: '7',
      currency: 'EUR',
    });
    const account = (await accounts()).find(
      (listed) => listed.ownerType === 'PARTNER' && listed.balance === '7',
    );
    expect(account?.owner).toBe(`Acme Shop ${partner.id.slice(0, 8)}`);
  });

  it('lists 500 accounts when no limit is given', async () => {
    expect((await accounts()).length).toBeLessThanOrEqual(500);
    expect((await accounts()).length).toBeGreaterThan(0);
  });

  it("lists an account's postings newest first, no more than the limit", async () => {
    const holder = await holderWithWallet(server.baseUrl, '5');
    await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${holder}/fund`, {
      amount: '7',
      currency: 'EUR',
    });
    const [wallet] = (await accounts('?limit=1')) as [AccountView];
    expect(wallet.owner).toBe(`MSISDN ${holder}`);
    const all = (await admin(server.baseUrl, 'GET', `/accounts/${wallet.id}/postings`)).body as PostingView[];
    expect(all.map((posting) => posting.amountMinor)).toEqual(['700', '500']);
    // As MoMo writes amounts, in the currency's major units: 700 cents are 7 EUR.
    expect(all.map((posting) => posting.amount)).toEqual(['7', '5']);
    expect(BigInt(all[0]?.transferId ?? 0)).toBeGreaterThan(BigInt(all[1]?.transferId ?? 0));
    const newest = (await admin(server.baseUrl, 'GET', `/accounts/${wallet.id}/postings?limit=1`))
      .body as PostingView[];
    expect(newest).toEqual([all[0]]);
  });

  it.each(['/accounts?limit=5001', '/accounts?limit=0'])('refuses %s with 400', async (path) => {
    expect((await admin(server.baseUrl, 'GET', path)).status).toBe(400);
  });
});

describe.each(ENGINES)('operator funding at the ledger limit on %s', (engine) => {
  it("refuses a funding that would take a balance past the ledger's limit with 400, and moves nothing", async () => {
    const server = await startTestServer(engine);
    try {
      const msisdn = await holderWithWallet(server.baseUrl, '1');
      // Straight into the store: the API takes at most 10^15 minor units per call.
      await server.store.transaction(async (tx) => {
        const holder = await tx.accountHolders.findByParty('MSISDN', msisdn);
        const wallet = await tx.accounts.findByOwner('ACCOUNT_HOLDER', holder?.id ?? '', '', 'EUR');
        if (wallet === undefined) {
          throw new Error('the holder has no EUR wallet');
        }
        await fundFromFloat(tx, wallet, BALANCE_LIMIT_MINOR - 100n - wallet.balanceMinor, {
          nowMs: Date.now(),
        });
      });

      const refused = await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${msisdn}/fund`, {
        amount: '1.01',
        currency: 'EUR',
      });
      const accepted = await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${msisdn}/fund`, {
        amount: '1',
        currency: 'EUR',
      });

      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'BAD_REQUEST' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ availableBalance: '10000000000000000' });
    } finally {
      await server.close();
    }
  });
});
