import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { storeOptionsOf } from './server.js';

describe('storeOptionsOf', () => {
  it('opens the store the configuration names, with its schema and prepared-statement switch', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db.example.com/openmomo',
      DATABASE_SCHEMA: 'momo',
      DATABASE_PREPARED_STATEMENTS: 'false',
    });

    expect(storeOptionsOf(config)).toEqual({
      databaseUrl: 'postgres://db.example.com/openmomo',
      postgresSchema: 'momo',
      postgresPreparedStatements: false,
    });
  });

  it('prefers the schema a caller names (a test) to the configured one', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db.example.com/openmomo',
      DATABASE_SCHEMA: 'momo',
    });

    expect(storeOptionsOf(config, 'test_schema').postgresSchema).toBe('test_schema');
  });
});
