import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trustProxyOption } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file in sandbox mode on port 8080', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, databaseUrl: './data/openmomo.db', sandboxMode: true });
  });

  it('treats a PostgreSQL deployment as production unless SANDBOX_MODE says otherwise', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/test' }).sandboxMode).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/test', SANDBOX_MODE: 'true' }).sandboxMode).toBe(
      true,
    );
  });

  it('refuses a DATABASE_URL of another scheme, which would otherwise become a directory named after it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://localhost/openmomo' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://localhost/openmomo' })).toThrow(/DATABASE_URL/);
  });

  it('refuses a file: URL with a malformed escape as a configuration error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'file:/tmp/100%.db' })).toThrow(ConfigError);
  });

  it('accepts a file: URL as DATABASE_URL, a SQLite file and so sandbox mode by default', () => {
    expect(loadConfig({ DATABASE_URL: 'file:/tmp/openmomo.db' }).sandboxMode).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'file:///tmp/openmomo.db' }).sandboxMode).toBe(true);
  });

  it('reads numbers and booleans from their variables', () => {
    const config = loadConfig({ PORT: '9000', SANDBOX_MODE: 'off', TOKEN_TTL_SECONDS: '60' });
    expect(config).toMatchObject({ port: 9000, sandboxMode: false, tokenTtlSeconds: 60 });
  });

  it('keeps PostgreSQL prepared statements on unless DATABASE_PREPARED_STATEMENTS turns them off', () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
  });

  it('opens at most 10 PostgreSQL connections unless DATABASE_POOL_SIZE says otherwise, and at least one', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('names the variable and the value when a setting is invalid', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT.*"eighty"/);
    expect(() => loadConfig({ REASON_FORMAT: 'xml' })).toThrow(/REASON_FORMAT/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});

describe('trustProxyOption', () => {
  it.each([
    [null, false],
    ['false', false],
    ['FALSE', false],
    ['true', true],
    ['True', true],
  ])('reads TRUST_PROXY=%s as %s', (value, option) => {
    expect(trustProxyOption(value)).toBe(option);
  });

  it('reads a number as that many trusted hops', () => {
    const trusted = trustProxyOption('2');

    expect(typeof trusted).toBe('function');
    const trustsHop = trusted as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trustsHop('10.0.0.1', hop))).toEqual([true, true, false]);
  });

  it('reads a list of addresses, CIDRs and range names', () => {
    expect(trustProxyOption('10.0.0.0/8, 127.0.0.1,loopback, ::1, fd00::/8')).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'loopback',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['yes', '10.0.0.0/33', '300.1.1.1', 'proxy.example.com', '0.0.0.0/0', '::/0'])(
    'refuses TRUST_PROXY=%s when the configuration loads, naming the variable',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );
});

describe('callback private networks', () => {
  it('refuses CALLBACK_PRIVATE_NETWORKS that is not allow, deny or a list of addresses, naming the variable', () => {
    expect(() => loadConfig({ CALLBACK_PRIVATE_NETWORKS: '10.0.0.0/8,intranet' })).toThrow(
      /CALLBACK_PRIVATE_NETWORKS: "intranet" is not an IP address/,
    );
  });

  it('keeps a list of allowed addresses as given', () => {
    expect(loadConfig({ CALLBACK_PRIVATE_NETWORKS: '10.0.0.0/8' }).callbackPrivateNetworks).toBe(
      '10.0.0.0/8',
    );
  });
});
