import { describe } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { runStoreContract } from './store.contract.js';

describe('Store on PostgreSQL', () => {
  runStoreContract({
    newDatabase: () => {
      const database = freshTestDatabase('postgres');
      return { databaseUrl: database.databaseUrl, postgresSchema: database.postgresSchema };
    },
  });
});
