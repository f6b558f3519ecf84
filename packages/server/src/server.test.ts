import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../test/support/engines.js';
import { startTestServer } from '../test/support/test-server.js';
import { loadConfig } from './config.js';
import { storeOptionsOf } from './server.js';

describe('storeOptionsOf', () => {
  it('opens the store the configuration names, with its schema, prepared-statement switch and pool size', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db.example.com/openmomo',
      DATABASE_SCHEMA: 'momo',
      DATABASE_PREPARED_STATEMENTS: 'false',
      DATABASE_POOL_SIZE: '25',
    });

    expect(storeOptionsOf(config)).toEqual({
      databaseUrl: 'postgres://db.example.com/openmomo',
      postgresSchema: 'momo',
      postgresPreparedStatements: false,
      postgresPoolSize: 25,
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

describe('startServer', () => {
  it('closes its database when it cannot listen, leaving nothing that holds the file', async () => {
    const listening = await startTestServer('sqlite');
    const port = Number(new URL(listening.baseUrl).port);
    const database = freshTestDatabase('sqlite');
    try {
      await expect(startTestServer('sqlite', { database, config: { port } })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await listening.close();
    }

    // Leaving WAL mode needs the only connection to the file: the failed server's is gone.
    const connection = new BetterSqlite3(database.databaseUrl);
    try {
      expect(connection.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    } finally {
      connection.close();
    }
  });
});
