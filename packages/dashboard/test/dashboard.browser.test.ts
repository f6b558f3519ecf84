/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real server: a
 * request to pay made through the API is approved on the payer's phone with the PIN, and the dashboard shows
 * SUCCESSFUL, the ledger posting, the balance change and the delivered callback. Screenshots are kept in
 * test-artifacts/dashboard/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../../server/test/support/admin-client.js';
import {
  type CallbackReceiver,
  callbackAt,
  startCallbackReceiver,
} from '../../server/test/support/callback-receiver.js';
import {
  basicAuth,
  CollectionClient,
  http,
  requestToPayBody,
  sleep,
} from '../../server/test/support/momo-client.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { buttonNames, shownReferences } from './support/page.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'dashboard');
const PAYER = '256772000901';

/**
 * Requests to pay made one after another, a few milliseconds apart so that their creation times order them;
 * their reference ids, oldest first.
 */
async function requestsToPay(
  client: CollectionClient,
  count: number,
  callbackUrl?: (index: number) => string,
): Promise<string[]> {
  const references: string[] = [];
  for (let index = 0; index < count; index++) {
    const created = await client.requestToPay(
      requestToPayBody({ amount: String(10 + index) }),
      callbackUrl === undefined ? {} : { callbackUrl: callbackUrl(index) },
    );
    references.push(created.referenceId);
    await sleep(5);
  }
  return references;
}

describe('the dashboard in Chromium', () => {
  let server: TestServer;
  let receiver: CallbackReceiver;
  let client: CollectionClient;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer('sqlite');
    receiver = await startCallbackReceiver();
    client = await CollectionClient.create(server.baseUrl);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('approves a request to pay on the payer’s phone with the PIN, and shows the result everywhere', async () => {
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${PAYER}`, {
      approvalMode: 'INTERACTIVE',
      pin: '2468',
      givenName: 'Amina',
    });
    await admin(server.baseUrl, 'POST', `/account-holders/MSISDN/${PAYER}/fund`, {
      amount: '5000',
      currency: 'EUR',
    });
    const balanceBefore = Number((await client.balance()).availableBalance);
    const created = await client.requestToPay(
      requestToPayBody({ amount: '1500', payer: { partyIdType: 'MSISDN', partyId: PAYER } }),
      {
        callbackUrl: receiver.url('/momo'),
      },
    );
    expect(created.status).toBe(202);

    await page.goto(`${server.baseUrl}/dashboard/#/phone`);
    expect(await page.getByRole('note').textContent()).toContain('Sandbox mode');
    await page.getByLabel('Payer MSISDN').fill(PAYER);
    await page.getByRole('button', { name: 'Open phone' }).click();
    const prompt = page.locator('.prompt').first();
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toMatch(/Pay 1,500 EUR to Sandbox partner\?/);
    await shot('1-phone-prompt');

    await prompt.getByLabel('Enter PIN').fill('0000');
    await prompt.getByRole('button', { name: 'Approve' }).click();
    await prompt
      .getByRole('alert')
      .filter({ hasText: /The PIN is wrong/ })
      .waitFor();
    await prompt.getByLabel('Enter PIN').fill('2468');
    await prompt.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved: SUCCESSFUL').waitFor();
    await shot('2-phone-approved');
    expect((await client.getRequestToPay(created.referenceId)).body).toMatchObject({ status: 'SUCCESSFUL' });

    await page.goto(`${server.baseUrl}/dashboard/#/transactions`);
    const row = page.locator('tr', { hasText: created.referenceId });
    await row.getByText('SUCCESSFUL').waitFor();
    await shot('3-transactions');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /REQUEST_TO_PAY 1,500 EUR/ }).waitFor();
    await page.getByText('Ledger postings').waitFor();
    // The posting in MoMo's units, as every other amount: it read "150000 EUR" (minor units) before.
    await expect(page.locator('table', { hasText: 'Debit account' }).textContent()).resolves.toContain(
      '1,500 EUR',
    );
    await page.locator('[data-callback] .status', { hasText: 'DELIVERED' }).waitFor({ timeout: 10_000 });
    await shot('4-transaction-detail');
    expect(Number((await client.balance()).availableBalance) - balanceBefore).toBe(1500);
    expect(receiver.received.at(-1)?.body).toMatchObject({ status: 'SUCCESSFUL', amount: '1500' });

    await page.goto(`${server.baseUrl}/dashboard/#/wallets`);
    await page
      .locator('tr', { hasText: `MSISDN ${PAYER}` })
      .getByText('3,500 EUR')
      .waitFor();
    await shot('5-wallets');
    await page.goto(`${server.baseUrl}/dashboard/#/callbacks`);
    await page
      .locator('td', { hasText: receiver.url('/momo') })
      .first()
      .waitFor();
    await page.goto(`${server.baseUrl}/dashboard/#/charts`);
    await page.locator('figure').first().waitFor();
    await shot('6-charts');
    // The browser logs the refused wrong-PIN approval (403) itself; nothing else may go wrong.
    expect(consoleErrors).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
  });

  it('shows a new transaction without a reload', async () => {
    await page.goto(`${server.baseUrl}/dashboard/#/transactions`);
    await page.locator('table').waitFor();
    const created = await client.requestToPay(requestToPayBody({ amount: '7' }));
    await page.locator('tr', { hasText: created.referenceId }).waitFor({ timeout: 5000 });
  });

  it('shows a transaction made while the live stream was still connecting, before the next poll', async () => {
    const live = await browser.newPage();
    let connect: () => void = () => undefined;
    const connecting = new Promise<void>((resolve) => {
      connect = resolve;
    });
    // Hold the stream's request, as a slow network would, until the transaction has been made.
    await live.route('**/admin/v1/events**', async (route) => {
      await connecting;
      await route.continue();
    });
    try {
      await live.goto(`${server.baseUrl}/dashboard/#/transactions`);
      await live.locator('table').waitFor();
      const created = await client.requestToPay(requestToPayBody({ amount: '8' }));
      connect();
      // The view also polls every 5 s: finding the row sooner means the stream's opening reloaded it.
      await live.locator('tr', { hasText: created.referenceId }).waitFor({ timeout: 3000 });
    } finally {
      await live.close();
    }
  });

  it('asks for consent on the holder’s phone, and the partner gets its consent token once approved', async () => {
    const holder = '256772000902';
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${holder}`, {
      approvalMode: 'INTERACTIVE',
      pin: '1357',
    });
    const authorized = await http(server.baseUrl, 'POST', '/collection/v1_0/bc-authorize', {
      headers: client.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      rawBody: new URLSearchParams({
        login_hint: `ID:${holder}/MSISDN`,
        scope: 'profile',
        access_type: 'offline',
      }).toString(),
    });
    const redeem = () =>
      http(server.baseUrl, 'POST', '/collection/oauth2/token/', {
        headers: {
          Authorization: basicAuth(client.credentials.apiUserId, client.credentials.apiKey),
          'Ocp-Apim-Subscription-Key': client.credentials.subscriptionKey,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        rawBody: new URLSearchParams({
          grant_type: 'urn:openid:params:grant-type:ciba',
          auth_req_id: (authorized.body as { auth_req_id: string }).auth_req_id,
        }).toString(),
      });
    expect((await redeem()).body).toMatchObject({ error: 'authorization_pending' });

    await page.goto(`${server.baseUrl}/dashboard/#/phone`);
    await page.getByLabel('Payer MSISDN').fill(holder);
    await page.getByRole('button', { name: 'Open phone' }).click();
    const prompt = page.locator('.prompt').first();
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toMatch(/Share your profile details with Sandbox partner\?/);
    await shot('9-phone-consent');
    await prompt.getByLabel('Enter PIN').fill('1357');
    await prompt.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved: SUCCESSFUL').waitFor();

    expect((await redeem()).status).toBe(200);
  });

  it('revokes an API user once the operator confirms, and its token is refused from then on', async () => {
    const leaked = await CollectionClient.create(server.baseUrl);
    expect((await leaked.requestToPay(requestToPayBody())).status).toBe(202);
    await page.goto(`${server.baseUrl}/dashboard/#/api-users`);
    const row = page.locator(`tr[data-api-user="${leaked.credentials.apiUserId}"]`);

    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: `Revoke API user ${leaked.credentials.apiUserId}` }).click();
    expect((await leaked.requestToPay(requestToPayBody())).status).toBe(202);

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: `Revoke API user ${leaked.credentials.apiUserId}` }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    await shot('8-api-user-revoked');
    expect((await leaked.requestToPay(requestToPayBody())).status).toBe(401);
  });

  it('says why a revocation failed when the server cannot be reached, and leaves the user as it was', async () => {
    const doomed = await startTestServer('sqlite');
    const partner = await CollectionClient.create(doomed.baseUrl);
    const doomedPage = await browser.newPage();
    try {
      await doomedPage.goto(`${doomed.baseUrl}/dashboard/#/api-users`);
      const revoke = doomedPage.getByRole('button', {
        name: `Revoke API user ${partner.credentials.apiUserId}`,
      });
      await revoke.waitFor();
      await doomed.close();

      doomedPage.once('dialog', (dialog) => void dialog.accept());
      await revoke.click();

      await doomedPage.getByRole('alert').first().waitFor();
      expect(await doomedPage.getByRole('alert').allTextContents()).toContainEqual(
        `API user ${partner.credentials.apiUserId} was not revoked: Failed to fetch`,
      );
      expect(await revoke.isVisible()).toBe(true);
    } finally {
      await doomedPage.close();
    }
  });

  it('says the wallets could not be loaded when the server stops, and shows no update time as current', async () => {
    const doomed = await startTestServer('sqlite');
    const doomedPage = await browser.newPage();
    try {
      await doomedPage.goto(`${doomed.baseUrl}/dashboard/#/wallets`);
      await doomedPage.getByText(/^Updated /).waitFor();
      await doomed.close();
      const stoppedAtMs = Date.now();

      // The next poll, within 5 s, fails.
      await doomedPage
        .getByText('The accounts could not be loaded: Failed to fetch')
        .waitFor({ timeout: 8000 });
      // Loads made while the server was up may have moved it on; none since can have.
      const updated = await doomedPage.getByText(/^Updated /).textContent();
      expect(Date.parse(updated?.replace(/^Updated /, '') ?? '')).toBeLessThanOrEqual(stoppedAtMs);
    } finally {
      await doomedPage.close();
    }
  });

  it("does not show one payer's requests on the phone of another number", async () => {
    const payer = '256772000944';
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
    await client.requestToPay(requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }));
    await page.goto(`${server.baseUrl}/dashboard/#/phone`);
    await page.getByLabel('Payer MSISDN').fill(payer);
    await page.getByRole('button', { name: 'Open phone' }).click();
    await page.locator('.prompt').first().waitFor();

    await page.getByLabel('Payer MSISDN').fill('abc');
    await page.getByRole('button', { name: 'Open phone' }).click();

    await page.getByRole('heading', { name: 'Phone abc' }).waitFor();
    await page.locator('.phone [role="alert"]').waitFor();
    expect(await page.locator('.prompt').count()).toBe(0);
  });

  it('keeps loading with several live tabs open: one event stream per tab, not per view', async () => {
    const created = await client.requestToPay(requestToPayBody());
    // Tabs of one browser window share its six connections to a server.
    const window = await browser.newContext();
    try {
      for (const _ of [1, 2, 3]) {
        const tab = await window.newPage();
        // Wallets watches two lists: it held two of the six connections while it was open.
        await tab.goto(`${server.baseUrl}/dashboard/#/wallets`);
        await tab.getByText(/^Updated /).waitFor();
      }
      const fourth = await window.newPage();

      await fourth.goto(`${server.baseUrl}/dashboard/#/transactions`);

      await fourth.locator('tr', { hasText: created.referenceId }).waitFor({ timeout: 8000 });
    } finally {
      await window.close();
    }
  });

  it('shows an API user created elsewhere and a fault rule hit elsewhere without a reload', async () => {
    await page.goto(`${server.baseUrl}/dashboard/#/faults`);
    await page.getByRole('heading', { name: /fault/i }).first().waitFor();
    await admin(server.baseUrl, 'POST', '/faults', {
      method: 'GET',
      path: '/collection/v1_0/account/balance',
      fault: 'error',
      status: 500,
      times: 2,
    });
    await page.locator('tr', { hasText: '/collection/v1_0/account/balance' }).waitFor({ timeout: 8000 });
    await client.balance().catch(() => undefined);

    // Within the 5 s poll: the rule's hits went from 0 to 1.
    await page
      .locator('tr', { hasText: '/collection/v1_0/account/balance' })
      .locator('td', { hasText: /^1$/ })
      .waitFor({ timeout: 8000 });
    await admin(server.baseUrl, 'DELETE', '/faults');

    await page.goto(`${server.baseUrl}/dashboard/#/api-users`);
    await page.locator('tbody tr').first().waitFor();
    const newcomer = await CollectionClient.create(server.baseUrl);
    await page.getByRole('button', { name: `Revoke API user ${newcomer.credentials.apiUserId}` }).waitFor({
      timeout: 8000,
    });
  });

  it('adds fault rules that make the next request to pay fail and a callback arrive twice', async () => {
    await page.goto(`${server.baseUrl}/dashboard/#/faults`);
    await page.getByText('No rule: every call is handled normally.').waitFor();
    await page.locator('#fault-path').fill('/collection/v1_0/requesttopay');
    await page.locator('#fault-method').selectOption('POST');
    await page.locator('#fault-kind').selectOption('error');
    await page.locator('#fault-status').fill('503');
    await page.locator('#fault-times').fill('2');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.locator('tr[data-fault]');
    await rule.getByText('503 SERVICE_UNAVAILABLE').waitFor();

    const failed = await client.requestToPay(requestToPayBody());
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    await page.reload();
    await rule.locator('td', { hasText: /^1$/ }).waitFor();
    await shot('10-faults');
    await page.getByRole('button', { name: 'Remove all' }).click();
    await page.getByText('No rule: every call is handled normally.').waitFor();
    expect((await client.requestToPay(requestToPayBody())).status).toBe(202);

    await page.locator('#fault-target').selectOption('callback');
    await page.locator('#fault-kind').selectOption('duplicate');
    await page.locator('#fault-times').fill('1');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('tr[data-fault]', { hasText: 'duplicate' }).waitFor();
    const before = receiver.received.length;
    await client.requestToPay(requestToPayBody({ amount: '8' }), { callbackUrl: receiver.url('/twice') });
    const twice = (await receiver.waitFor(before + 2)).slice(before);
    expect(twice.map((callback) => callback.path)).toEqual(['/twice', '/twice']);
  });

  it('labels every form control, for screen readers and keyboards', async () => {
    for (const hash of ['#/transactions', '#/wallets', '#/phone', '#/callbacks', '#/charts', '#/faults']) {
      await page.goto(`${server.baseUrl}/dashboard/${hash}`);
      await page.locator('main section').first().waitFor();
      const unlabelled = await page.evaluate(
        () =>
          [...document.querySelectorAll('input, select')].filter(
            (control) => (control as HTMLInputElement).labels?.length === 0,
          ).length,
      );
      expect(unlabelled, hash).toBe(0);
    }
  });

  it('asks for the operator token when one is set, says when it is refused, and signs out', async () => {
    const guarded = await startTestServer('sqlite', {
      config: { operatorToken: 'operator-token-of-the-login-test-0123' },
    });
    const guardedPage = await browser.newPage();
    try {
      await guardedPage.goto(`${guarded.baseUrl}/dashboard/#/transactions`);
      await guardedPage.getByLabel('Operator token').waitFor();
      expect(await guardedPage.getByRole('note').textContent()).not.toContain(
        'open without an operator login',
      );
      expect(await guardedPage.locator('[aria-current="page"]').count()).toBe(0);

      await guardedPage.getByLabel('Operator token').fill('a-wrong-token-0123456789');
      await guardedPage.getByRole('button', { name: 'Sign in' }).click();
      await guardedPage
        .getByRole('alert')
        .filter({ hasText: 'The server refused that operator token.' })
        .waitFor();

      await guardedPage.getByLabel('Operator token').fill('operator-token-of-the-login-test-0123');
      await guardedPage.getByRole('button', { name: 'Sign in' }).click();
      await guardedPage.getByRole('button', { name: 'Sign out' }).click();

      await guardedPage.getByLabel('Operator token').waitFor();
      expect(await guardedPage.getByRole('alert').count()).toBe(0);
    } finally {
      await guardedPage.close();
      await guarded.close();
    }
  });

  it('keeps the transaction filters in the URL, so Back keeps them and the nav link clears them', async () => {
    await client.requestToPay(requestToPayBody());
    await page.goto(`${server.baseUrl}/dashboard/#/transactions`);
    await page.getByLabel('Status').selectOption('SUCCESSFUL');
    await page.locator('tbody tr a').first().click();
    await page.getByText('Ledger postings').waitFor();

    await page.goBack();

    await page.locator('tbody tr').first().waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('SUCCESSFUL');

    await page.goto(`${server.baseUrl}/dashboard/#/transactions?apiUserId=${client.credentials.apiUserId}`);
    expect(await page.getByLabel('API user').inputValue()).toBe(client.credentials.apiUserId);
    await page.getByRole('link', { name: 'Transactions' }).click();

    await page.waitForFunction(() => window.location.hash === '#/transactions');
    expect(await page.getByLabel('API user').inputValue()).toBe('');
  });

  it('pages back to older transactions with Older, and to the first page again with Newest', async () => {
    const partner = await CollectionClient.create(server.baseUrl);
    const [first, second, third, fourth, fifth] = await requestsToPay(partner, 5);
    await page.goto(
      `${server.baseUrl}/dashboard/#/transactions?apiUserId=${partner.credentials.apiUserId}&limit=3`,
    );
    await expect.poll(() => shownReferences(page)).toEqual([fifth, fourth, third]);

    await page.getByRole('button', { name: 'Older' }).click();

    await expect.poll(() => shownReferences(page)).toEqual([second, first]);
    // Two rows of a page of three: nothing is older.
    expect(await page.getByRole('button', { name: 'Older' }).getAttribute('aria-disabled')).toBe('true');

    await page.getByRole('button', { name: 'Newest' }).click();

    await expect.poll(() => shownReferences(page)).toEqual([fifth, fourth, third]);
  });

  it('shows as many transactions as chosen under Rows per page, and keeps the choice in the URL', async () => {
    const partner = await CollectionClient.create(server.baseUrl);
    await requestsToPay(partner, 5);
    await page.goto(
      `${server.baseUrl}/dashboard/#/transactions?apiUserId=${partner.credentials.apiUserId}&limit=3`,
    );
    await expect.poll(async () => (await shownReferences(page)).length).toBe(3);
    expect(await page.getByLabel('Rows per page').inputValue()).toBe('3');

    await page.getByLabel('Rows per page').selectOption('25');

    await expect.poll(async () => (await shownReferences(page)).length).toBe(5);
    await page.waitForFunction(() => window.location.hash.includes('limit=25'));
  });

  it('keeps to its own filters from the URL and sends nothing else to the operator API', async () => {
    const partner = await CollectionClient.create(server.baseUrl);
    const [only] = await requestsToPay(partner, 1);
    const listed = page.waitForResponse((response) => response.url().includes('/admin/v1/transactions?'));
    // fromMs is the operator API's own name: the page's filter is "from", so this one must not reach it.
    await page.goto(
      `${server.baseUrl}/dashboard/#/transactions?apiUserId=${partner.credentials.apiUserId}&fromMs=soon`,
    );

    expect((await listed).url()).not.toContain('soon');
    await expect.poll(() => shownReferences(page)).toEqual([only]);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('stays on an older page of transactions when a new transaction arrives', async () => {
    const partner = await CollectionClient.create(server.baseUrl);
    const [first, second] = await requestsToPay(partner, 4);
    await page.goto(
      `${server.baseUrl}/dashboard/#/transactions?apiUserId=${partner.credentials.apiUserId}&limit=2`,
    );
    await page.locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => shownReferences(page)).toEqual([second, first]);

    const reloaded = page.waitForResponse((response) => response.url().includes('/admin/v1/transactions?'));
    await requestsToPay(partner, 1);
    await reloaded;

    expect(await shownReferences(page)).toEqual([second, first]);
  });

  it('returns to the first page of transactions when a filter changes', async () => {
    const partner = await CollectionClient.create(server.baseUrl);
    const [, , third] = await requestsToPay(partner, 3);
    await page.goto(
      `${server.baseUrl}/dashboard/#/transactions?apiUserId=${partner.credentials.apiUserId}&limit=2`,
    );
    await page.locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Older' }).click();
    await page.getByText(/^Older transactions/).waitFor();

    await page.getByLabel('Product').selectOption('collection');

    await expect.poll(async () => (await shownReferences(page))[0]).toBe(third);
    expect(await page.getByRole('button', { name: 'Newest' }).getAttribute('aria-disabled')).toBe('true');
  });

  /** Three callback deliveries to paths starting `/name-`, and the callbacks page showing the newest two. */
  async function twoOfThreeCallbacks(name: string) {
    const urls = [1, 2, 3].map((n) => receiver.url(`/${name}-${n}`));
    await requestsToPay(client, 3, (index) => urls[index] ?? '');
    const shownUrls = () => page.locator('tbody tr[data-callback] td:nth-child(3)').allTextContents();
    await page.goto(`${server.baseUrl}/dashboard/#/callbacks?limit=2`);
    await expect.poll(shownUrls).toEqual([urls[2], urls[1]]);
    return { urls, shownUrls };
  }

  it('pages back to older callback deliveries with Older, and to the first page again with Newest', async () => {
    const { urls, shownUrls } = await twoOfThreeCallbacks('paged');

    await page.getByRole('button', { name: 'Older' }).click();

    await expect.poll(async () => (await shownUrls())[0]).toBe(urls[0]);
    expect(await shownUrls()).not.toContain(urls[2]);

    await page.getByRole('button', { name: 'Newest' }).click();

    await expect.poll(shownUrls).toEqual([urls[2], urls[1]]);
  });

  it('stays on an older page of callback deliveries after Back from a transaction', async () => {
    const { urls, shownUrls } = await twoOfThreeCallbacks('back');
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(async () => (await shownUrls())[0]).toBe(urls[0]);

    await page.locator('tbody tr[data-callback] a').first().click();
    await page.getByText('Ledger postings').waitFor();
    await page.goBack();

    await expect.poll(async () => (await shownUrls())[0]).toBe(urls[0]);
    await page.getByText(/^Older callback deliveries/).waitFor();
  });

  it('shows as many callback deliveries as chosen under Rows per page', async () => {
    const { urls, shownUrls } = await twoOfThreeCallbacks('sized');

    await page.getByLabel('Rows per page').selectOption('25');

    await expect.poll(async () => (await shownUrls()).slice(0, 3)).toEqual([urls[2], urls[1], urls[0]]);
    await page.waitForFunction(() => window.location.hash === '#/callbacks?limit=25');
  });

  it('keeps the callbacks state filter in the URL, so Back from a transaction keeps it', async () => {
    const url = receiver.url('/filter-kept');
    await requestsToPay(client, 1, () => url);
    await callbackAt(receiver, '/filter-kept');
    await page.goto(`${server.baseUrl}/dashboard/#/callbacks`);
    await page.getByLabel('State').selectOption('DELIVERED');
    await page.waitForFunction(() => window.location.hash === '#/callbacks?state=DELIVERED');

    await page.locator('tbody tr[data-callback] a').first().click();
    await page.getByText('Ledger postings').waitFor();
    await page.goBack();

    await page.locator('tbody tr[data-callback]').first().waitFor();
    expect(await page.getByLabel('State').inputValue()).toBe('DELIVERED');
  });

  it('says that a replayed callback is sent again', async () => {
    const url = receiver.url('/replayed');
    await requestsToPay(client, 1, () => url);
    await callbackAt(receiver, '/replayed');
    await page.goto(`${server.baseUrl}/dashboard/#/callbacks`);

    await page
      .locator('tr', { hasText: url })
      .getByRole('button', { name: /^Replay/ })
      .click();

    await page
      .getByRole('status')
      .filter({ hasText: `to ${url} is sent again.` })
      .waitFor();
    await expect
      .poll(() => receiver.received.filter((callback) => callback.path === '/replayed').length)
      .toBe(2);
  });

  it("names each callback's transaction by its reference id, linking to the transaction", async () => {
    const url = receiver.url('/named-by-reference');
    const [referenceId] = await requestsToPay(client, 1, () => url);
    await callbackAt(receiver, '/named-by-reference');
    await page.goto(`${server.baseUrl}/dashboard/#/callbacks`);

    await page
      .locator('tr', { hasText: url })
      .getByRole('link', { name: `Open request ${referenceId}` })
      .click();

    await page.locator('#detail-title').waitFor();
    await page.getByText(`Reference ${referenceId}`).waitFor();
  });

  it('says it again when the same callback is replayed again', async () => {
    const url = receiver.url('/replayed-twice');
    await requestsToPay(client, 1, () => url);
    await callbackAt(receiver, '/replayed-twice');
    await page.goto(`${server.baseUrl}/dashboard/#/callbacks`);
    const replay = page.locator('tr', { hasText: url }).getByRole('button', { name: /^Replay/ });
    const said = page.getByRole('status').filter({ hasText: `to ${url} is sent again.` });
    await replay.click();
    await said.waitFor();
    // What a screen reader hears: a change to the live region.
    await said.evaluate((region) => {
      const changes = { count: 0 };
      new MutationObserver((records) => {
        changes.count += records.length;
      }).observe(region, { childList: true, characterData: true, subtree: true });
      (window as unknown as { liveRegionChanges: typeof changes }).liveRegionChanges = changes;
    });

    await replay.click();

    await expect
      .poll(() => receiver.received.filter((callback) => callback.path === '/replayed-twice').length)
      .toBe(3);
    await expect
      .poll(() =>
        page.evaluate(
          () => (window as unknown as { liveRegionChanges: { count: number } }).liveRegionChanges.count,
        ),
      )
      .toBeGreaterThan(0);
  });

  it('says in an alert why a replay failed, and nothing goes unhandled', async () => {
    await requestsToPay(client, 1, () => receiver.url('/not-replayed'));
    const failing = await browser.newPage();
    const pageErrors: string[] = [];
    failing.on('pageerror', (error) => pageErrors.push(String(error)));
    await failing.route('**/admin/v1/callbacks/*/replay', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'RESOURCE_NOT_FOUND', message: 'No callback has this id.' }),
      }),
    );
    try {
      await failing.goto(`${server.baseUrl}/dashboard/#/callbacks`);

      await failing
        .locator('tr', { hasText: receiver.url('/not-replayed') })
        .getByRole('button', { name: /^Replay/ })
        .click();

      await failing
        .getByRole('alert')
        .filter({ hasText: 'was not sent again: RESOURCE_NOT_FOUND: No callback has this id.' })
        .waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  it('says on a transaction that its callback was sent again', async () => {
    const [reference] = await requestsToPay(client, 1, () => receiver.url('/replayed-from-detail'));
    await callbackAt(receiver, '/replayed-from-detail');
    await page.goto(`${server.baseUrl}/dashboard/#/transactions`);
    await page.locator('tr', { hasText: reference }).getByRole('link').click();

    await page.getByRole('button', { name: /^Replay callback 1/ }).click();

    await page.getByRole('status').filter({ hasText: 'is sent again.' }).waitFor();
  });

  it('names every Replay and Remove button after its row, so that screen readers tell them apart', async () => {
    await requestsToPay(client, 2, (index) => receiver.url(`/named-${index}`));
    await admin(server.baseUrl, 'DELETE', '/faults');
    for (const method of ['GET', 'POST']) {
      await admin(server.baseUrl, 'POST', '/faults', { method, path: '/collection/*', fault: 'error' });
    }
    try {
      await page.goto(`${server.baseUrl}/dashboard/#/callbacks`);
      await page.locator('tbody tr').nth(1).waitFor();
      const replays = await buttonNames(page, /^Replay/);
      expect(new Set(replays).size).toBe(replays.length);

      await page.goto(`${server.baseUrl}/dashboard/#/faults`);
      await page.locator('tr[data-fault]').nth(1).waitFor();
      const removes = await buttonNames(page, /^Remove/);
      expect(removes.length).toBeGreaterThan(2);
      expect(new Set(removes).size).toBe(removes.length);
    } finally {
      await admin(server.baseUrl, 'DELETE', '/faults');
    }
  });

  it('says that an API user was revoked', async () => {
    const leaked = await CollectionClient.create(server.baseUrl);
    await page.goto(`${server.baseUrl}/dashboard/#/api-users`);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Revoke API user ${leaked.credentials.apiUserId}` }).click();

    await page
      .getByRole('status')
      .filter({ hasText: `API user ${leaked.credentials.apiUserId} was revoked` })
      .waitFor();
  });

  it('keeps the keyboard focus on the row of a revoked API user, where its Revoke button was', async () => {
    const leaked = await CollectionClient.create(server.baseUrl);
    await page.goto(`${server.baseUrl}/dashboard/#/api-users`);
    page.once('dialog', (dialog) => void dialog.accept());

    await page.getByRole('button', { name: `Revoke API user ${leaked.credentials.apiUserId}` }).click();

    const row = page.locator(`tr[data-api-user="${leaked.credentials.apiUserId}"]`);
    await row.getByText('revoked').waitFor();
    await expect.poll(() => row.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  });

  it('says that a fault rule was added, and that it was removed', async () => {
    await admin(server.baseUrl, 'DELETE', '/faults');
    await page.goto(`${server.baseUrl}/dashboard/#/faults`);
    await page.getByText('No rule: every call is handled normally.').waitFor();
    await page.locator('#fault-status').fill('503');

    await page.getByRole('button', { name: 'Add rule' }).click();

    const said = page.getByRole('status');
    await said
      .filter({ hasText: 'Rule added: error 503 SERVICE_UNAVAILABLE on POST /collection/v1_0/requesttopay.' })
      .waitFor();

    await page.getByRole('button', { name: /^Remove rule 1/ }).click();

    await said
      .filter({
        hasText: 'Rule 1 removed: error 503 SERVICE_UNAVAILABLE on POST /collection/v1_0/requesttopay.',
      })
      .waitFor();
    await page.getByText('No rule: every call is handled normally.').waitFor();
  });

  /** The phone of an interactive payer whose PIN is 8642, opened on the prompt of a request to pay. */
  async function promptOnPhoneOfPayerWithPin(payer: string) {
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, {
      approvalMode: 'INTERACTIVE',
      pin: '8642',
    });
    await client.requestToPay(requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }));
    await page.goto(`${server.baseUrl}/dashboard/#/phone`);
    await page.getByLabel('Payer MSISDN').fill(payer);
    await page.getByRole('button', { name: 'Open phone' }).click();
    return page.locator('.prompt').first();
  }

  it('says a wrong PIN at its prompt, tied to the PIN field, and empties the field for another try', async () => {
    const prompt = await promptOnPhoneOfPayerWithPin('256772000903');
    const pin = prompt.getByLabel('Enter PIN');
    await pin.fill('1111');

    await prompt.getByRole('button', { name: 'Approve' }).click();

    const alert = prompt.getByRole('alert');
    await alert.filter({ hasText: /The PIN is wrong/ }).waitFor();
    expect(await pin.getAttribute('aria-invalid')).toBe('true');
    expect(await pin.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    expect(await pin.inputValue()).toBe('');
    expect(await pin.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await page.locator('.phone-status').textContent()).toBe('');
  });

  it('says on the phone that the third wrong PIN failed the request, after its prompt is gone', async () => {
    const prompt = await promptOnPhoneOfPayerWithPin('256772000905');
    for (const [wrong, left] of [
      ['1111', '2 tries left'],
      ['2222', '1 try left'],
    ] as const) {
      await prompt.getByLabel('Enter PIN').fill(wrong);
      await prompt.getByRole('button', { name: 'Approve' }).click();
      // The alert says each refusal's own words: the next PIN goes only once this one was answered.
      await prompt.getByRole('alert').filter({ hasText: left }).waitFor();
    }
    await prompt.getByLabel('Enter PIN').fill('3333');

    await prompt.getByRole('button', { name: 'Approve' }).click();

    await page
      .locator('.phone-status')
      .filter({ hasText: /FAILED/ })
      .waitFor();
    expect(await page.locator('.prompt').count()).toBe(0);
  });

  it('shows when each prompt on the payer’s phone expires', async () => {
    const payer = '256772000904';
    await admin(server.baseUrl, 'PUT', `/account-holders/MSISDN/${payer}`, { approvalMode: 'INTERACTIVE' });
    await client.requestToPay(requestToPayBody({ payer: { partyIdType: 'MSISDN', partyId: payer } }));
    const [pending] = (await admin(server.baseUrl, 'GET', `/account-holders/MSISDN/${payer}/pending`))
      .body as { expiresAtMs: number }[];
    await page.goto(`${server.baseUrl}/dashboard/#/phone`);
    await page.getByLabel('Payer MSISDN').fill(payer);
    await page.getByRole('button', { name: 'Open phone' }).click();

    const expiry = page
      .locator('.prompt')
      .first()
      .getByText(/^Expires at /);

    await expiry.waitFor();
    expect(await expiry.locator('time').getAttribute('datetime')).toBe(
      new Date(pending?.expiresAtMs ?? Number.NaN).toISOString(),
    );
  });

  it('moves the focus to the content with Skip to content, the first thing Tab reaches', async () => {
    // A page of its own: Tab goes on from wherever the focus last was in a page only navigated by hash.
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${server.baseUrl}/dashboard/#/transactions`);
      await fresh.locator('main section').waitFor();

      await fresh.keyboard.press('Tab');
      expect(await fresh.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await fresh.keyboard.press('Enter');

      expect(await fresh.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
      expect(await fresh.evaluate(() => window.location.hash)).toBe('#/transactions');
    } finally {
      await fresh.close();
    }
  });

  describe('charts of a quiet server', () => {
    let quiet: TestServer;
    let single: TestServer;
    let chartPage: Page;

    beforeAll(async () => {
      quiet = await startTestServer('sqlite');
      single = await startTestServer('sqlite');
      const partner = await CollectionClient.create(single.baseUrl);
      const created = await partner.requestToPay(requestToPayBody());
      await partner.waitForFinalStatus(created.referenceId);
      chartPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      chartPage.on('pageerror', (error) => consoleErrors.push(String(error)));
    });
    afterAll(async () => {
      await chartPage?.close();
      await quiet?.close();
      await single?.close();
    });

    const figure = (title: string) => chartPage.locator('figure', { hasText: title });

    it('says that there is no data on every chart of a window without traffic, and draws none', async () => {
      await chartPage.goto(`${quiet.baseUrl}/dashboard/#/charts`);

      await figure('Payments and payouts created')
        .getByText('No payment or payout was created in the last hour.')
        .waitFor();
      await figure('Success rate').getByText('No payment or payout was decided in the last hour.').waitFor();
      await figure('Callback latency').getByText('No callback was sent in the last hour.').waitFor();
      expect(await chartPage.locator('figure canvas').count()).toBe(0);
    });

    it('counts zero in every interval of the window without a transaction', async () => {
      await chartPage.goto(`${single.baseUrl}/dashboard/#/charts`);

      const counts = figure('Payments and payouts created').locator('table.visually-hidden tbody td');
      await counts.first().waitFor({ state: 'attached' });
      const values = await counts.allTextContents();
      // An hour of one-minute intervals, the one under way included.
      expect(values.length).toBeGreaterThanOrEqual(60);
      expect(values.filter((value) => value === '1')).toHaveLength(1);
      expect(values.filter((value) => value === '0')).toHaveLength(values.length - 1);
    });

    it('describes each chart in a sentence and in a table, for screen readers', async () => {
      await chartPage.goto(`${single.baseUrl}/dashboard/#/charts`);

      await figure('Payments and payouts created')
        .getByText(/^1 created in the last hour; /)
        .waitFor();
      await figure('Success rate')
        .getByText('100 % in the one interval with decided payments or payouts.')
        .waitFor();
      for (const title of ['Payments and payouts created', 'Success rate']) {
        expect(await figure(title).locator('.chart').getAttribute('aria-hidden')).toBe('true');
        expect(await figure(title).locator('table caption').textContent()).toBe(`${title}, per interval`);
      }
    });

    it('fits a chart to its box again when the window changes size', async () => {
      await chartPage.goto(`${single.baseUrl}/dashboard/#/charts`);
      const chart = figure('Payments and payouts created').locator('.chart');
      const canvasWidth = async () => (await chart.locator('canvas').boundingBox())?.width ?? 0;
      await chart.locator('canvas').waitFor();
      const before = await canvasWidth();
      try {
        // Narrower, the grid puts one chart on a row: each chart's box grows.
        await chartPage.setViewportSize({ width: 700, height: 900 });

        await expect.poll(canvasWidth).not.toBe(before);
        const boxWidth = await chart.evaluate((element) => element.clientWidth);
        expect(Math.abs((await canvasWidth()) - boxWidth)).toBeLessThan(2);
      } finally {
        await chartPage.setViewportSize({ width: 1280, height: 900 });
      }
    });

    // Last of these: it adds a transaction to the server the others count.
    it('gives a chart its new data when a transaction arrives, without drawing it again', async () => {
      await chartPage.goto(`${single.baseUrl}/dashboard/#/charts`);
      const canvas = figure('Payments and payouts created').locator('canvas');
      await canvas.waitFor();
      await canvas.evaluate((element) => element.setAttribute('data-first-drawing', ''));

      const partner = await CollectionClient.create(single.baseUrl);
      await partner.requestToPay(requestToPayBody());

      await figure('Payments and payouts created')
        .getByText(/^2 created in the last hour; /)
        .waitFor();
      expect(await figure('Payments and payouts created').locator('canvas[data-first-drawing]').count()).toBe(
        1,
      );
    });
  });

  it('fits a phone-sized screen without sideways scrolling of the page', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${server.baseUrl}/dashboard/#/phone`);
      await phone.getByLabel('Payer MSISDN').waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(ARTIFACTS, '7-phone-sized.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});

describe('the banner saying why the dashboard cannot use the operator API', () => {
  it('says once, at the top, what to set when the host name is one the open operator API does not answer', async () => {
    const server = await startTestServer('sqlite');
    // A name that resolves to this machine without being localhost, as a rebound name or a Compose service does.
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP openmomo.test 127.0.0.1'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://openmomo.test:${new URL(server.baseUrl).port}/dashboard/#/transactions`);

      const banner = page.locator('.banner.error');
      await banner.filter({ hasText: 'OPERATOR_HOSTS' }).waitFor();
      expect(await banner.getAttribute('role')).toBe('alert');
      expect(await banner.textContent()).toContain('The dashboard cannot use the operator API');
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('keeps no banner after a failure that passes, such as the server restarting', async () => {
    const server = await startTestServer('sqlite');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      // The dashboard's first call meets the server's answer while it cannot reach its database.
      await page.route(
        '**/admin/v1/api-users',
        (route) =>
          route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable.' }),
          }),
        { times: 1 },
      );
      const listed = page.waitForResponse((response) => response.url().includes('/admin/v1/transactions?'));
      await page.goto(`${server.baseUrl}/dashboard/#/transactions`);
      await listed;
      await page.locator('h2', { hasText: 'Transactions' }).waitFor();

      expect(await page.locator('.banner.error').count()).toBe(0);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
