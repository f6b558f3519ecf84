/** Numbered, append-only migrations; each receives the few column types that differ between engines. */
import type { ColumnDataType, ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as everyProduct from './0002-every-product.js';
import * as authFailures from './0003-auth-failures.js';
import * as listingIndexes from './0004-listing-indexes.js';
import * as credentialRevocation from './0005-credential-revocation.js';
import * as invoicePayeeNames from './0006-invoice-payee-names.js';

export interface MigrationContext {
  /** An auto-incrementing bigint primary key: `integer primary key autoincrement` or an identity column. */
  readonly identityColumn: {
    readonly type: ColumnDataType;
    readonly build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  };
}

type MigrationModule = { up(db: Kysely<unknown>, context: MigrationContext): Promise<void> };

const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-initial': initial,
  '0002-every-product': everyProduct,
  '0003-auth-failures': authFailures,
  '0004-listing-indexes': listingIndexes,
  '0005-credential-revocation': credentialRevocation,
  '0006-invoice-payee-names': invoicePayeeNames,
};

export function migrationProvider(context: MigrationContext): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, module]) => [
          name,
          { up: (db: Kysely<unknown>) => module.up(db, context) },
        ]),
      );
    },
  };
}
