import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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

  it('reads numbers and booleans from their variables', () => {
    const config = loadConfig({ PORT: '9000', SANDBOX_MODE: 'off', TOKEN_TTL_SECONDS: '60' });
    expect(config).toMatchObject({ port: 9000, sandboxMode: false, tokenTtlSeconds: 60 });
  });

  it('keeps PostgreSQL prepared statements on unless DATABASE_PREPARED_STATEMENTS turns them off', () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
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
