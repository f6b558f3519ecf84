import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { openStore } from './open-store.js';
import { runStoreContract } from './store.contract.js';

describe('Store on PostgreSQL', () => {
  runStoreContract({
    newDatabase: () => {
      const database = freshTestDatabase('postgres');
      return { databaseUrl: database.databaseUrl, postgresSchema: database.postgresSchema };
    },
  });

  it('reads transactions asked for while a read is under way together, in one query (decision 0031)', async () => {
    const database = freshTestDatabase('postgres');
    let reads = 0;
    const store = await openStore({
      databaseUrl: database.databaseUrl,
      postgresSchema: database.postgresSchema,
      onQuery: (query) => {
        if (query.sql.includes('"transactions"')) {
          reads++;
        }
      },
    });
    try {
      const referenceIds = Array.from({ length: 20 }, () => randomUUID());
      reads = 0;

      const read = await Promise.all(
        referenceIds.map((referenceId) => store.transactions.findByReference('no-such-user', referenceId)),
      );

      expect(read.every((transaction) => transaction === undefined)).toBe(true);
      // The first goes out alone, at once; the 19 asked for meanwhile go together in the next.
      expect(reads).toBe(2);
    } finally {
      await store.close();
    }
  });
});
