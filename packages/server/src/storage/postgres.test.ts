import { describe } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { openStore } from './open-store.js';
import { runStoreContract } from './store.contract.js';

describe('Store on PostgreSQL', () => {
  runStoreContract({
    openStore: () => {
      const database = freshTestDatabase('postgres');
      return openStore({
        databaseUrl: database.databaseUrl,
        postgresSchema: database.postgresSchema,
      });
    },
  });
});
