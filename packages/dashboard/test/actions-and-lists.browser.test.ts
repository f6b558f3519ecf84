/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real server: actions
 * sent once however often they are clicked, the payer's PIN tries spared, lists that keep the newest data and
 * say what they leave out, and controls that say what they act on.
 */
import { type Browser, chromium, type Page, type Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin } from '../../server/test/support/admin-client.js';
import { CollectionClient, requestToPayBody, sleep } from '../../server/test/support/momo-client.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { buttonNames, shownReferences } from './support/page.js';

describe('the dashboard in Chromium: actions, lists and names', () => {
  let server: TestServer;
  let client: CollectionClient;
  let browser: Browser;
  let page: Page;
  /** The operator API calls the page made: method and path with query. */
  let sent: Request[];
  let payers = 0;

  /** A payer's MSISDN no other test uses. */
  const newPayer = () => {
    payers += 1;
    return `2567730${String(payers).padStart(5, '0')}`;
  };

  /** Calls the page sent to the operator API with `method` to a path matching `path`. */
  const calls = (method: string, path: RegExp) =>
    sent.filter((request) => request.method() === method && path.test(new URL(request.url()).pathname));

  /** Holds each operator API request `path` matches for `delayMs` before sending it: a slow server. */
  const slowDown = (path: string, delayMs = 300) =>
    page.route(path, async (route) => {
      await sleep(delayMs);
      await route.continue();
    });

  const open = (hash: string) => page.goto(`${server.baseUrl}/dashboard/#/${hash}`);

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    client = await CollectionClient.create(server.baseUrl);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    sent = [];
    page.on('request', (request) => {
      if (request.url().includes('/admin/v1/')) {
        sent.push(request);
      }
    });
  });
  afterEach(async () => {
    await page?.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The phone of an interactive payer whose PIN is 8642, opened on the prompt of a request to pay. */
  async function promptOnPhoneOfPayerWithPin(payer: string, amount = '1500') {
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, {
      approvalMode: 'INTERACTIVE',
      pin: '8642',
    });
    await client.requestToPay(requestToPayBody({ amount, payer: { partyIdType: 'MSISDN', partyId: payer } }));
    await open('phone');
    await page.getByLabel('Payer MSISDN').fill(payer);
    await page.getByRole('button', { name: 'Open phone' }).click();
    const prompt = page.locator('.prompt').first();
    await prompt.waitFor();
    return prompt;
  }

  /** The ledger account of a payer's EUR wallet, as the operator API lists it. */
  async function walletOf(payer: string) {
    const accounts = (await admin(server.baseUrl, 'GET', '/accounts')).body as {
      id: string;
      owner: string;
      currency: string;
      balance: string;
    }[];
    return accounts.find((account) => account.owner === `MSISDN ${payer}` && account.currency === 'EUR');
  }

  describe('double clicks', () => {
    it('funds a wallet once when Fund wallet is double-clicked', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'AUTO' });
      await slowDown('**/admin/v1/account-holders/*/*/fund');
      await open('wallets');
      await page.getByRole('textbox', { name: 'MSISDN', exact: true }).fill(payer);
      await page.getByRole('textbox', { name: 'Amount', exact: true }).fill('100');

      await page.getByRole('button', { name: 'Fund wallet' }).dblclick();

      await page
        .getByRole('status')
        .filter({ hasText: `Funded ${payer}` })
        .waitFor();
      expect(calls('POST', /\/fund$/)).toHaveLength(1);
      expect((await walletOf(payer))?.balance).toBe('100');
    });

    it('uses one PIN try when Approve is double-clicked with a wrong PIN', async () => {
      const prompt = await promptOnPhoneOfPayerWithPin(newPayer());
      await slowDown('**/admin/v1/transactions/*/approve');
      await prompt.getByLabel('Enter PIN').fill('1111');

      await prompt.getByRole('button', { name: 'Approve' }).dblclick();

      await prompt.getByRole('alert').filter({ hasText: '2 tries left' }).waitFor();
      await sleep(600);
      expect(calls('POST', /\/approve$/)).toHaveLength(1);
      expect(await prompt.getByRole('alert').textContent()).toContain('2 tries left');
    });

    it('keeps saying Approved when Approve is double-clicked with the right PIN', async () => {
      const prompt = await promptOnPhoneOfPayerWithPin(newPayer());
      await slowDown('**/admin/v1/transactions/*/approve');
      await prompt.getByLabel('Enter PIN').fill('8642');

      await prompt.getByRole('button', { name: 'Approve' }).dblclick();

      await page.locator('.phone-status').filter({ hasText: 'Approved: SUCCESSFUL' }).waitFor();
      await sleep(600);
      expect(calls('POST', /\/approve$/)).toHaveLength(1);
      expect(await page.locator('.phone-status').textContent()).toBe('Approved: SUCCESSFUL');
    });

    it('adds one fault rule when Add rule is double-clicked', async () => {
      await admin(server.baseUrl, 'DELETE', '/faults');
      try {
        await slowDown('**/admin/v1/faults');
        await open('faults');
        await page.getByText('No rule: every call is handled normally.').waitFor();

        await page.getByRole('button', { name: 'Add rule' }).dblclick();

        await page.getByRole('status').filter({ hasText: 'Rule added' }).waitFor();
        await sleep(600);
        expect(calls('POST', /\/faults$/)).toHaveLength(1);
        expect((await admin(server.baseUrl, 'GET', '/faults')).body).toHaveLength(1);
      } finally {
        await admin(server.baseUrl, 'DELETE', '/faults');
      }
    });

    it('marks an action’s button as unusable while its request is in flight', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'AUTO' });
      await slowDown('**/admin/v1/account-holders/*/*/fund', 1000);
      await open('wallets');
      await page.getByRole('textbox', { name: 'MSISDN', exact: true }).fill(payer);
      await page.getByRole('textbox', { name: 'Amount', exact: true }).fill('5');
      const fund = page.getByRole('button', { name: 'Fund wallet' });

      await fund.click();

      await expect.poll(() => fund.getAttribute('aria-disabled')).toBe('true');
      await page
        .getByRole('status')
        .filter({ hasText: `Funded ${payer}` })
        .waitFor();
      expect(await fund.getAttribute('aria-disabled')).toBeNull();
    });
  });

  describe('the payer’s PIN', () => {
    it('refuses to approve with an empty PIN for a payer who has one, without using a try', async () => {
      const prompt = await promptOnPhoneOfPayerWithPin(newPayer());

      await prompt.getByRole('button', { name: 'Approve' }).click();

      await prompt.getByRole('alert').filter({ hasText: 'Enter the PIN' }).waitFor();
      expect(calls('POST', /\/approve$/)).toHaveLength(0);
      await prompt.getByLabel('Enter PIN').fill('1111');
      await prompt.getByRole('button', { name: 'Approve' }).click();
      // The first wrong PIN: all three tries were left before it.
      await prompt.getByRole('alert').filter({ hasText: '2 tries left' }).waitFor();
    });

    it('asks no PIN on the phone of a payer who has none, and approves without one', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
      await client.requestToPay(requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }));
      await open('phone');
      await page.getByLabel('Payer MSISDN').fill(payer);
      await page.getByRole('button', { name: 'Open phone' }).click();
      const prompt = page.locator('.prompt').first();
      await prompt.waitFor();
      await expect.poll(() => prompt.getByLabel(/Enter PIN/).count()).toBe(0);

      await prompt.getByRole('button', { name: 'Approve' }).click();

      await page.locator('.phone-status').filter({ hasText: 'Approved: SUCCESSFUL' }).waitFor();
    });

    it('approves with Enter in the PIN field', async () => {
      const prompt = await promptOnPhoneOfPayerWithPin(newPayer());
      await prompt.getByLabel('Enter PIN').fill('8642');

      await prompt.getByLabel('Enter PIN').press('Enter');

      await page.locator('.phone-status').filter({ hasText: 'Approved: SUCCESSFUL' }).waitFor();
    });

    it('says so when the phone is opened for a number no account holder has', async () => {
      await open('phone');
      await page.getByLabel('Payer MSISDN').fill(newPayer());

      await page.getByRole('button', { name: 'Open phone' }).click();

      await page
        .getByRole('alert')
        .filter({
          hasText:
            "The payer's account could not be read: RESOURCE_NOT_FOUND: No account holder has this party id.",
        })
        .waitFor();
    });

    it('says why it asks for a PIN when the payer’s account cannot be read', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
      await client.requestToPay(requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }));
      // The account holder's read fails on the way (its pending list still loads).
      await page.route(`**/admin/v1/account-holders/MSISDN/${payer}`, (route) => route.abort('failed'));
      await open('phone');
      await page.getByLabel('Payer MSISDN').fill(payer);

      await page.getByRole('button', { name: 'Open phone' }).click();

      await page.locator('.prompt').first().getByLabel('Enter PIN').waitFor();
      await page.getByRole('alert').filter({ hasText: "The payer's account could not be read" }).waitFor();
    });
  });

  describe('live reloads', () => {
    it('waits twice as long before each new stream while the server keeps refusing them', async () => {
      await page.route('**/admin/v1/events**', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"statusCode":503,"message":"x"}',
        }),
      );
      await open('transactions');
      await expect.poll(() => calls('GET', /^\/admin\/v1\/events$/).length).toBe(1);

      // Opened again after 2 s, then after 4 s more: 6 s after the first, not 4.
      await sleep(5000);

      expect(calls('GET', /^\/admin\/v1\/events$/)).toHaveLength(2);
    });

    it('opens the live stream again after the server refused it with an answer that is not a stream', async () => {
      let refused = 0;
      await page.route('**/admin/v1/events**', async (route) => {
        if (refused === 0) {
          refused += 1;
          await route.fulfill({
            status: 429,
            contentType: 'application/json',
            headers: { 'Retry-After': '1' },
            body: JSON.stringify({
              statusCode: 429,
              message: 'Rate limit is exceeded. Try again in 1 second.',
            }),
          });
          return;
        }
        await route.continue();
      });

      await open('transactions');

      await expect.poll(() => calls('GET', /^\/admin\/v1\/events$/).length, { timeout: 8000 }).toBe(2);
    });

    it('keeps the newest list when an older load of it answers last', async () => {
      const partner = await CollectionClient.create(server.baseUrl);
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let held: Promise<void> | undefined;
      await page.route('**/admin/v1/transactions?**', async (route) => {
        if (held !== undefined) {
          await route.continue();
          return;
        }
        // The first load's answer, as the server gave it then, arrives only after the later loads'.
        const answer = await route.fetch();
        held = released.then(() => route.fulfill({ response: answer }));
        await held;
      });
      await open(`transactions?apiUserId=${partner.credentials.apiUserId}`);
      await page.getByText('No transactions match.').waitFor();
      const created = await partner.requestToPay(requestToPayBody());
      await expect.poll(() => shownReferences(page)).toEqual([created.referenceId]);

      release();
      await held;
      await sleep(500);

      expect(await shownReferences(page)).toEqual([created.referenceId]);
    });

    it('keeps a transaction on screen, with the error above it, when a live reload fails', async () => {
      const created = await client.requestToPay(requestToPayBody());
      await open('transactions');
      await page.locator('tr', { hasText: created.referenceId }).getByRole('link').click();
      const heading = page.getByRole('heading', { name: /REQUEST_TO_PAY 1,500 EUR/ });
      await heading.waitFor();
      const id = page.url().split('/').at(-1) ?? '';
      await page.route(`**/admin/v1/transactions/${id}`, (route) => route.abort());

      // A change anywhere reloads the transaction: this time the network fails.
      await client.requestToPay(requestToPayBody());

      await page.getByRole('alert').filter({ hasText: 'Failed to fetch' }).waitFor({ timeout: 8000 });
      expect(await heading.isVisible()).toBe(true);
      expect(await page.getByText('Ledger postings').isVisible()).toBe(true);
    });
  });

  describe('transaction filters', () => {
    it('shows the transactions of the minute chosen as both From and To', async () => {
      const partner = await CollectionClient.create(server.baseUrl);
      const created = await partner.requestToPay(requestToPayBody());
      const [listed] = (
        await admin(server.baseUrl, 'GET', `/transactions?apiUserId=${partner.credentials.apiUserId}`)
      ).body as { createdAtMs: number }[];
      await open('transactions');
      // The minute as the browser's date-time field writes it, in the browser's time zone.
      const minute = await page.evaluate((ms) => {
        const at = new Date(ms);
        const two = (n: number) => String(n).padStart(2, '0');
        return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
      }, listed?.createdAtMs ?? 0);

      await open(`transactions?apiUserId=${partner.credentials.apiUserId}&from=${minute}&to=${minute}`);

      await expect.poll(() => shownReferences(page)).toEqual([created.referenceId]);
    });

    it('ignores a status in the URL that the Status filter does not offer', async () => {
      const partner = await CollectionClient.create(server.baseUrl);
      const created = await partner.requestToPay(requestToPayBody());
      const listed = page.waitForResponse((response) => response.url().includes('/admin/v1/transactions?'));

      await open(`transactions?apiUserId=${partner.credentials.apiUserId}&status=bogus`);

      expect((await listed).url()).not.toContain('bogus');
      await expect.poll(() => shownReferences(page)).toEqual([created.referenceId]);
      expect(await page.getByLabel('Status').inputValue()).toBe('');
      expect(await page.getByRole('alert').count()).toBe(0);
    });

    it('finds the transactions of a Party typed with spaces around it', async () => {
      const payer = newPayer();
      const created = await client.requestToPay(
        requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      await open('transactions');
      await page.locator('tbody tr').first().waitFor();

      await page.getByLabel('Party').fill(` ${payer} `);

      await expect.poll(() => shownReferences(page)).toEqual([created.referenceId]);
    });
  });

  it('says the HTTP status of an error answer that is not JSON', async () => {
    await page.route('**/admin/v1/transactions?**', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<html><h1>Bad Gateway</h1></html>' }),
    );

    await open('transactions');

    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'HTTP 502' }).waitFor();
    expect(await alert.textContent()).not.toMatch(/JSON|token/);
  });

  describe('wallets and accounts', () => {
    it('says when the accounts list came back full, as the server lists no more than 500', async () => {
      const accounts = Array.from({ length: 500 }, (_, index) => ({
        id: `account-${index}`,
        ownerType: 'ACCOUNT_HOLDER',
        owner: `MSISDN 2567800${String(index).padStart(5, '0')}`,
        product: '',
        currency: 'EUR',
        balance: '1',
      }));
      await page.route('**/admin/v1/accounts', (route) => route.fulfill({ json: accounts }));

      await open('wallets');

      await page.getByText('Showing the newest 500 accounts').waitFor();
      expect(await page.getByText('Showing the newest 500 account holders').count()).toBe(0);
    });

    it('says in an alert why a wallet was not funded', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'AUTO' });
      await open('wallets');
      await page.getByRole('textbox', { name: 'MSISDN', exact: true }).fill(payer);
      await page.getByRole('textbox', { name: 'Amount', exact: true }).fill('-5');

      await page.getByRole('button', { name: 'Fund wallet' }).click();

      const alert = page.getByRole('alert').filter({ hasText: `${payer} was not funded` });
      await alert.waitFor();
      expect(await alert.getAttribute('class')).toContain('error');
    });

    it('sends the MSISDN to fund URL-encoded', async () => {
      await open('wallets');
      await page.getByRole('textbox', { name: 'MSISDN', exact: true }).fill('2567/71?x');
      await page.getByRole('textbox', { name: 'Amount', exact: true }).fill('5');

      const funding = page.waitForRequest(
        (request) => request.method() === 'POST' && request.url().includes('/account-holders/'),
      );

      await page.getByRole('button', { name: 'Fund wallet' }).click();

      expect(new URL((await funding).url()).pathname).toBe(
        '/admin/v1/account-holders/MSISDN/2567%2F71%3Fx/fund',
      );
    });

    it('shows the new posting in an open account’s postings after funding the account', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'AUTO' });
      await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${payer}/fund`, {
        amount: '10',
        currency: 'EUR',
      });
      const wallet = await walletOf(payer);
      await open('wallets');
      const row = page.locator(`tr[data-account="${wallet?.id}"]`);
      await row.getByRole('button', { name: /^Postings/ }).click();
      // The postings open in a row of their own, under the account's.
      const entries = page.locator('td[colspan="5"] tbody td:nth-child(2)');
      await expect.poll(() => entries.allTextContents()).toEqual(['10 EUR']);

      await page.getByRole('textbox', { name: 'MSISDN', exact: true }).fill(payer);
      await page.getByRole('textbox', { name: 'Amount', exact: true }).fill('7');
      await page.getByRole('button', { name: 'Fund wallet' }).click();

      // Sooner than the 5 s poll: the action reloaded the postings.
      await expect.poll(() => entries.allTextContents(), { timeout: 3000 }).toEqual(['7 EUR', '10 EUR']);
    });

    it('labels the system float account by its owner type, not as a wallet', async () => {
      const payer = newPayer();
      await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'AUTO' });
      await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${payer}/fund`, {
        amount: '10',
        currency: 'EUR',
      });

      await open('wallets');

      const float = page.locator('tr[data-account]', { has: page.locator('td', { hasText: /^SYSTEM$/ }) });
      await float.first().waitFor();
      expect(await float.first().locator('td').nth(2).textContent()).toBe('system');
    });
  });

  describe('fault rules', () => {
    for (const [kind, field, label] of [
      ['delay', '#fault-delay', 'Delay (ms)'],
      ['error', '#fault-status', 'Status'],
    ] as const) {
      it(`adds no ${kind} rule with an empty ${label}, and says that it is needed`, async () => {
        await open('faults');
        await page.locator('#fault-kind').selectOption(kind);
        await page.locator(field).fill('');

        await page.getByRole('button', { name: 'Add rule' }).click();

        await sleep(300);
        expect(calls('POST', /\/faults$/)).toHaveLength(0);
        expect(
          await page.locator(field).evaluate((input) => (input as HTMLInputElement).validity.valueMissing),
        ).toBe(true);
        expect(
          await page.locator(field).evaluate((input) => (input as HTMLInputElement).validationMessage),
        ).not.toBe('');
      });
    }
  });

  it('fits the charts on a 375-pixel-wide screen without sideways scrolling', async () => {
    const partner = await CollectionClient.create(server.baseUrl);
    const created = await partner.requestToPay(requestToPayBody());
    await partner.waitForFinalStatus(created.referenceId);
    await page.setViewportSize({ width: 375, height: 800 });

    await open('charts');

    await page.locator('figure table').first().waitFor({ state: 'attached' });
    await page.locator('figure canvas').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  describe('names of controls', () => {
    it('names each phone prompt’s Approve, Reject and PIN field after its payment', async () => {
      const payer = newPayer();
      await promptOnPhoneOfPayerWithPin(payer, '1500');
      await client.requestToPay(
        requestToPayBody({ amount: '2500', payer: { partyIdType: 'MSISDN', partyId: payer } }),
      );
      await page.locator('.prompt').nth(1).waitFor();

      const approves = await buttonNames(page, /^Approve/);
      const rejects = await buttonNames(page, /^Reject/);
      const pins = await page
        .getByLabel(/^Enter PIN/)
        .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('aria-label')));

      for (const names of [approves, rejects, pins]) {
        expect(names).toHaveLength(2);
        expect(new Set(names).size).toBe(2);
      }
      expect(approves.find((name) => name?.includes('2,500 EUR'))).toMatch(/^Approve/);
    });

    it('names each wallet row’s Postings and Block button after its account or holder', async () => {
      for (const payer of [newPayer(), newPayer()]) {
        await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'AUTO' });
        await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${payer}/fund`, {
          amount: '1',
          currency: 'EUR',
        });
      }
      await open('wallets');
      await page.locator('tr[data-account]').nth(2).waitFor();

      const postings = await buttonNames(page, /^Postings/);
      const blocks = await buttonNames(page, /^Block/);

      expect(postings.length).toBeGreaterThan(2);
      expect(new Set(postings).size).toBe(postings.length);
      expect(blocks.length).toBeGreaterThan(1);
      expect(new Set(blocks).size).toBe(blocks.length);
    });

    it('gives the API users’ list link a name that contains its visible text', async () => {
      await open('api-users');
      const link = page.locator(`tr[data-api-user="${client.credentials.apiUserId}"] a`);
      await link.waitFor();

      const name = await link.getAttribute('aria-label');

      expect(name).toContain(await link.textContent());
      expect(name).toContain(client.credentials.apiUserId);
    });

    it('names the current page in the document title', async () => {
      await open('wallets');
      await page.locator('main section').first().waitFor();
      await expect.poll(() => page.title()).toMatch(/^Wallets & accounts/);

      await page.getByRole('link', { name: 'Faults' }).click();

      await expect.poll(() => page.title()).toMatch(/^Faults/);
    });
  });
});
