import { describe } from 'vitest';
import { freshTestDatabase } from '../../test/support/engines.js';
import { openStore } from './open-store.js';
import { runStoreContract } from './store.contract.js';

describe('Store on SQLite', () => {
  runStoreContract({ openStore: () => openStore({ databaseUrl: freshTestDatabase('sqlite').databaseUrl }) });
});
