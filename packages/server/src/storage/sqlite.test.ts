import { describe } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { runStoreContract } from './store.contract.js';

describe('Store on SQLite', () => {
  runStoreContract({ newDatabase: () => ({ databaseUrl: freshTestDatabase('sqlite').databaseUrl }) });
});
