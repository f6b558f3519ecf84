/** The real `openmomo` binary (bin/openmomo.js, built by `npm test`), against a real OpenMoMo server. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallbackReceiver, startCallbackReceiver } from '../../server/test/support/callback-receiver.js';
import { http, newSubscriptionKey, ProductClient } from '../../server/test/support/momo-client.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';

const BINARY = join(import.meta.dirname, '..', 'bin', 'openmomo.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function openmomo(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BINARY, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}

const json = (run: Run) => JSON.parse(run.stdout) as Record<string, unknown>;

describe('openmomo', () => {
  let server: TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { callbackMaxAttempts: 2 } });
    env = { OPENMOMO_URL: server.baseUrl };
    const envFile = join(mkdtempSync(join(tmpdir(), 'openmomo-cli-')), '.env');
    const provisioned = await openmomo(
      [
        'sandbox',
        'provision',
        '--subscription-key',
        newSubscriptionKey(),
        '--callback-host',
        '127.0.0.1',
        '--save-env',
        envFile,
      ],
      env,
    );
    expect(provisioned.code).toBe(0);
    for (const line of readFileSync(envFile, 'utf8').trim().split('\n')) {
      const [name, value] = line.split('=') as [string, string];
      env[name] = value;
    }
  });
  afterAll(() => server.close());

  const COMMANDS = [
    'serve',
    'migrate',
    'pay',
    'transfer',
    'status',
    'balance',
    'account-holder',
    'ledger-audit',
  ];

  it('lists its commands in its help', async () => {
    const help = await openmomo(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) {
      expect(help.stdout).toContain(command);
    }
  });

  // One process per case, so a slow machine meets the timeout per command, not for all of them at once.
  it.each(COMMANDS)('explains its usage in the help of %s', async (command) => {
    expect((await openmomo([command, '--help'])).stdout).toMatch(/Examples:|Usage:/);
  });

  it('brings a new SQLite database up to date with migrate, and exits once it has closed it', async () => {
    const databaseUrl = join(mkdtempSync(join(tmpdir(), 'openmomo-cli-')), 'migrated.db');

    const migrated = await openmomo(['migrate', '--json'], { DATABASE_URL: databaseUrl });

    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(json(migrated)).toEqual({ migrated: `sqlite database at ${databaseUrl} is up to date` });
  });

  it.each([
    ['partner', 'create'],
    ['holder', 'set'],
    ['approvals', 'approve'],
    ['callbacks', 'replay'],
    ['transactions', 'list'],
    ['sandbox', 'provision'],
  ])('gives examples in the help of %s %s', async (group, sub) => {
    expect((await openmomo([group, sub, '--help'])).stdout).toContain('Examples:');
  });

  it('appends its credentials on lines of their own to a --save-env file whose last line has no newline', async () => {
    const envFile = join(mkdtempSync(join(tmpdir(), 'openmomo-cli-')), '.env');
    writeFileSync(envFile, 'DATABASE_URL=openmomo.db');

    const provisioned = await openmomo(
      ['sandbox', 'provision', '--subscription-key', newSubscriptionKey(), '--save-env', envFile],
      env,
    );

    expect(provisioned.code).toBe(0);
    expect(readFileSync(envFile, 'utf8').split('\n')).toEqual([
      'DATABASE_URL=openmomo.db',
      expect.stringMatching(/^MOMO_COLLECTION_SUBSCRIPTION_KEY=[0-9a-f]{32}$/),
      expect.stringMatching(/^MOMO_COLLECTION_API_USER=[0-9a-f-]{36}$/),
      expect.stringMatching(/^MOMO_COLLECTION_API_KEY=\w+$/),
      '',
    ]);
  });

  it('collects a payment and waits for SUCCESSFUL, exiting 0', async () => {
    const run = await openmomo(
      ['pay', '--amount', '12.50', '--currency', 'EUR', '--payer', '46733123499', '--wait', '--json'],
      env,
    );
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({
      status: 'SUCCESSFUL',
      amount: '12.5',
      financialTransactionId: expect.any(String),
    });
  });

  it('exits 2 and prints the reason when the payment FAILED', async () => {
    const run = await openmomo(
      ['pay', '--amount', '5', '--currency', 'EUR', '--payer', '46733123451', '--wait', '--json'],
      env,
    );
    expect(run.code).toBe(2);
    expect(json(run)).toMatchObject({ status: 'FAILED', reason: { code: 'APPROVAL_REJECTED' } });
  });

  it('exits 3 when --wait gives up on a payment still PENDING', async () => {
    const run = await openmomo(
      [
        'pay',
        '--amount',
        '5',
        '--currency',
        'EUR',
        '--payer',
        '46733123453',
        '--wait',
        '--timeout',
        '1',
        '--json',
      ],
      env,
    );
    expect(run.code).toBe(3);
    expect(json(run)).toMatchObject({ status: 'PENDING' });
  });

  it('refuses a --timeout that is not a positive number as a usage error, exiting 1 at once', async () => {
    const run = await openmomo(
      ['pay', '--amount', '5', '--currency', 'EUR', '--payer', '46733123453', '--wait', '--timeout', 'abc'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("option '--timeout <seconds>' argument 'abc' is invalid");
  });

  it('explains a refused request in plain words with its MoMo code, exiting 1', async () => {
    const run = await openmomo(['pay', '--amount', '5', '--currency', 'UGX', '--payer', '46733123499'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Error: INVALID_CURRENCY \(HTTP 400\): Currency not supported\. sandbox accepts EUR\./,
    );
  });

  it('takes --payer-type in lower case', async () => {
    const run = await openmomo(
      [
        'pay',
        '--amount',
        '5',
        '--currency',
        'EUR',
        '--payer',
        `payer.${crypto.randomUUID().slice(0, 8)}@example.com`,
        '--payer-type',
        'email',
        '--wait',
        '--json',
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ status: 'SUCCESSFUL', payer: { partyIdType: 'EMAIL' } });
  });

  it('refuses a --payer-type MoMo does not know as a usage error, naming the choices', async () => {
    const run = await openmomo(
      ['pay', '--amount', '5', '--currency', 'EUR', '--payer', '46733123499', '--payer-type', 'phone'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("option '--payer-type <type>' argument 'phone' is invalid");
    expect(run.stderr).toContain('MSISDN, EMAIL, PARTY_CODE');
  });

  it('says which credentials are missing', async () => {
    const run = await openmomo(['balance'], { OPENMOMO_URL: server.baseUrl });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MOMO_COLLECTION_SUBSCRIPTION_KEY');
  });

  it('shows a balance as aligned text, and the status of a payment', async () => {
    const balance = await openmomo(['balance'], env);
    expect(balance.stdout).toMatch(/^availableBalance\s+\d+/m);
    const paid = json(
      await openmomo(
        ['pay', '--amount', '1', '--currency', 'EUR', '--payer', '46733123499', '--wait', '--json'],
        env,
      ),
    );
    const status = await openmomo(['status', String(paid.referenceId), '--json'], env);
    expect(status.code).toBe(0);
    expect(json(status)).toMatchObject({ referenceId: paid.referenceId, status: 'SUCCESSFUL' });
  });

  it('pays out with a disbursement transfer', async () => {
    const disbursementFile = join(mkdtempSync(join(tmpdir(), 'openmomo-cli-')), '.env');
    await openmomo(
      [
        'sandbox',
        'provision',
        '--product',
        'disbursement',
        '--subscription-key',
        newSubscriptionKey(),
        '--save-env',
        disbursementFile,
      ],
      env,
    );
    const credentials = Object.fromEntries(
      readFileSync(disbursementFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    const run = await openmomo(
      ['transfer', '--amount', '500', '--currency', 'EUR', '--payee', '46733123499', '--wait', '--json'],
      { ...env, ...credentials },
    );
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ status: 'SUCCESSFUL', payee: { partyId: '46733123499' } });
  });

  it('lets an interactive payer approve with the PIN from the terminal', async () => {
    expect(
      (await openmomo(['holder', 'set', '256772000501', '--interactive', '--pin', '2468'], env)).code,
    ).toBe(0);
    const created = json(
      await openmomo(['pay', '--amount', '3', '--currency', 'EUR', '--payer', '256772000501', '--json'], env),
    );
    const pending = JSON.parse(
      (await openmomo(['approvals', 'list', '256772000501', '--json'], env)).stdout,
    ) as { transactionId: string }[];
    expect(pending).toHaveLength(1);
    const wrongPin = await openmomo(
      ['approvals', 'approve', pending[0]?.transactionId as string, '--pin', '0000'],
      env,
    );
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toContain('NOT_ALLOWED');
    expect(
      (await openmomo(['approvals', 'approve', pending[0]?.transactionId as string, '--pin', '2468'], env))
        .code,
    ).toBe(0);
    expect(json(await openmomo(['status', String(created.referenceId), '--json'], env))).toMatchObject({
      status: 'SUCCESSFUL',
    });
  });

  it("shows what a consent shares in the approvals list's scope column", async () => {
    expect(
      (await openmomo(['holder', 'set', '256772000502', '--interactive', '--pin', '2468'], env)).code,
    ).toBe(0);
    const partner = await ProductClient.forProduct(server.baseUrl, 'collection');
    const authorized = await http(server.baseUrl, 'POST', '/collection/v1_0/bc-authorize', {
      headers: partner.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      rawBody: new URLSearchParams({
        login_hint: 'ID:256772000502/MSISDN',
        scope: 'profile',
        access_type: 'online',
      }).toString(),
    });
    expect(authorized.status).toBe(200);

    const listed = await openmomo(['approvals', 'list', '256772000502'], env);

    const [header = '', row = ''] = listed.stdout.trim().split('\n');
    const scopeColumn = header.indexOf('scope');
    expect(scopeColumn).toBeGreaterThan(0);
    expect(row.slice(scopeColumn).split(/\s+/)[0]).toBe('profile');
  });

  it('lists a callback that was given up on and replays it once the receiver is back', async () => {
    let receiver: CallbackReceiver = await startCallbackReceiver();
    const port = receiver.port;
    await receiver.close();
    await openmomo(
      [
        'pay',
        '--amount',
        '2',
        '--currency',
        'EUR',
        '--payer',
        '46733123499',
        '--callback-url',
        `http://127.0.0.1:${port}/cb`,
        '--wait',
      ],
      env,
    );
    let dead: { id: string }[] = [];
    for (let i = 0; dead.length === 0 && i < 100; i++) {
      dead = JSON.parse((await openmomo(['callbacks', 'list', '--state', 'DEAD', '--json'], env)).stdout) as {
        id: string;
      }[];
    }
    expect(dead).toHaveLength(1);
    receiver = await startCallbackReceiver(port);
    try {
      expect((await openmomo(['callbacks', 'replay', dead[0]?.id as string], env)).code).toBe(0);
      const [callback] = await receiver.waitFor(1);
      expect(callback?.body).toMatchObject({ status: 'SUCCESSFUL', amount: '2' });
    } finally {
      await receiver.close();
    }
  });

  it('creates a partner, its keys and an API user, and funds the partner, as an operator', async () => {
    const partner = json(await openmomo(['partner', 'create', 'Kampala Shop', '--json'], env));
    const key = json(
      await openmomo(['partner', 'key', String(partner.id), '--product', 'collection', '--json'], env),
    );
    const user = json(
      await openmomo(
        [
          'api-user',
          'create',
          String(partner.id),
          '--callback-host',
          'shop.example',
          '--target',
          'mtnuganda',
          '--json',
        ],
        env,
      ),
    );
    const funded = json(
      await openmomo(
        [
          'partner',
          'fund',
          String(partner.id),
          '--product',
          'disbursement',
          '--amount',
          '250000',
          '--currency',
          'UGX',
          '--json',
        ],
        env,
      ),
    );
    expect(key).toMatchObject({
      subscriptionKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      product: 'collection',
    });
    expect(user).toMatchObject({
      apiUserId: expect.any(String),
      apiKey: expect.any(String),
      targetEnvironment: 'mtnuganda',
    });
    expect(funded).toEqual({ availableBalance: '250000', currency: 'UGX' });
  });

  it('revokes an API user and a subscription key, as an operator', async () => {
    const partner = json(await openmomo(['partner', 'create', 'Leaky Shop', '--json'], env));
    const key = json(
      await openmomo(['partner', 'key', String(partner.id), '--product', 'collection', '--json'], env),
    );
    const user = json(
      await openmomo(
        ['api-user', 'create', String(partner.id), '--callback-host', 'shop.example', '--json'],
        env,
      ),
    );

    const revokedUser = json(await openmomo(['api-user', 'revoke', String(user.apiUserId), '--json'], env));
    const revokedKey = json(
      await openmomo(['partner', 'revoke-key', String(key.subscriptionKey), '--json'], env),
    );

    expect(revokedUser).toMatchObject({ id: user.apiUserId, revokedAtMs: expect.any(Number) });
    expect(revokedKey).toMatchObject({ partnerId: partner.id, revokedAtMs: expect.any(Number) });
    const token = await fetch(`${server.baseUrl}/collection/token/`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${user.apiUserId}:${user.apiKey}`).toString('base64')}`,
        'Ocp-Apim-Subscription-Key': String(key.subscriptionKey),
      },
    });
    expect(token.status).toBe(401);
    const unknown = await openmomo(['api-user', 'revoke', '6a1f9d2e-0b7c-4c55-9f3e-1d2c3b4a5e6f'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No API user has this id.');
  });

  it('adds, lists and clears fault rules, and the payment they hit fails with the injected error', async () => {
    const added = json(
      await openmomo(
        [
          'faults',
          'add',
          '/collection/v1_0/requesttopay',
          '--method',
          'post',
          '--fault',
          'error',
          '--status',
          '400',
          '--code',
          'PAYER_LIMIT_REACHED',
          '--times',
          '1',
          '--json',
        ],
        env,
      ),
    );
    expect(added).toMatchObject({ method: 'POST', fault: 'error', status: 400, times: 1, hits: 0 });
    expect(json(await openmomo(['faults', 'list', '--json'], env))).toEqual([added]);
    const listed = (await openmomo(['faults', 'list'], env)).stdout.split('\n');
    expect(listed[0]).toMatch(/^path\s+fault\b/);
    expect(listed[1]).toContain('/collection/v1_0/requesttopay');

    const pay = await openmomo(['pay', '--amount', '5', '--currency', 'EUR', '--payer', '46733123499'], env);
    expect(pay.code).toBe(1);
    expect(pay.stderr).toContain('PAYER_LIMIT_REACHED');

    await openmomo(['faults', 'add', '/remittance/*', '--fault', 'delay', '--delay-ms', '10'], env);
    const onCallbacks = json(
      await openmomo(['faults', 'add', '*', '--on', 'callback', '--fault', 'duplicate', '--json'], env),
    );
    expect(onCallbacks).toMatchObject({ on: 'callback', path: '*', fault: 'duplicate' });
    expect((await openmomo(['faults', 'clear'], env)).code).toBe(0);
    expect(json(await openmomo(['faults', 'list', '--json'], env))).toEqual([]);
  });

  it('checks an account holder and audits the ledger', async () => {
    const active = await openmomo(['account-holder', '46733123499', '--json'], env);
    expect(json(active)).toMatchObject({ msisdn: '46733123499', active: true });
    expect((await openmomo(['account-holder', '46733123461'], env)).code).toBe(2);
    const audit = await openmomo(['ledger-audit', '--json'], env);
    expect(audit.code).toBe(0);
    expect(json(audit)).toMatchObject({ balanced: true });
  });

  it('lists transactions a page at a time, printing the command for the next page', async () => {
    for (const amount of ['3', '4', '5']) {
      await openmomo(
        ['pay', '--amount', amount, '--currency', 'EUR', '--payer', '46733123499', '--wait'],
        env,
      );
    }
    const first = await openmomo(['transactions', 'list', '--limit', '2', '--product', 'collection'], env);
    expect(first.code).toBe(0);
    const [header = '', ...rows] = first.stdout.trim().split('\n');
    expect(header.split(/\s+/).slice(0, 4)).toEqual(['id', 'created', 'kind', 'product']);
    expect(rows).toHaveLength(2);
    const hint = /^More: openmomo (.*)$/m.exec(first.stderr)?.[1];
    expect(hint).toContain('--product collection');

    const next = await openmomo(hint?.split(' ') ?? [], env);

    expect(next.code).toBe(0);
    const nextRows = next.stdout.trim().split('\n').slice(1);
    expect(nextRows).toHaveLength(2);
    const ids = [...rows, ...nextRows].map((row) => row.split(/\s+/)[0]);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps the server given on the command line in the command for the next page, and never the token', async () => {
    // Elsewhere by default: only --server names the server under test.
    const elsewhere = { OPENMOMO_URL: 'http://127.0.0.1:9' };
    const first = await openmomo(
      [
        '--server',
        server.baseUrl,
        '--operator-token',
        'not-needed-here',
        'transactions',
        'list',
        '--limit',
        '1',
      ],
      elsewhere,
    );
    expect(first.code).toBe(0);
    const hint = /^More: openmomo (.*)$/m.exec(first.stderr)?.[1] ?? '';
    expect(hint).not.toContain('not-needed-here');

    const next = await openmomo(hint.split(' '), elsewhere);

    expect(next.code).toBe(0);
    expect(next.stdout.trim().split('\n').slice(1)).toHaveLength(1);
  });

  it('shows one transaction in full, with its status history', async () => {
    const [listed] = JSON.parse(
      (await openmomo(['transactions', 'list', '--limit', '1', '--json'], env)).stdout,
    ) as {
      id: string;
    }[];
    const shown = await openmomo(['transactions', 'show', listed?.id as string, '--json'], env);
    expect(shown.code).toBe(0);
    expect(json(shown)).toMatchObject({ summary: { id: listed?.id }, events: expect.any(Array) });
  });

  it('names the HTTP status when something in front of the server answers an operator command with a page', async () => {
    const proxy = createServer((_request, response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;

      const run = await openmomo(['faults', 'list'], { OPENMOMO_URL: `http://127.0.0.1:${port}` });

      expect(run.code).toBe(1);
      expect(run.stderr).toBe('Error: HTTP_502 (HTTP 502): Bad Gateway\n');
    } finally {
      proxy.close();
    }
  });

  it('refuses a --before that is not the createdAtMs:id of a row as a usage error', async () => {
    const refused = await openmomo(['transactions', 'list', '--before', 'yesterday'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('createdAtMs:id');
  });
});
