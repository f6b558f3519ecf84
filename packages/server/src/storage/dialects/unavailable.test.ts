import { describe, expect, it } from 'vitest';
import { isPostgresUnavailable } from './postgres.js';
import { isSqliteUnavailable } from './sqlite.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isPostgresUnavailable', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', '08006', '08001', '57P01', '53300'])(
    'treats %s as the database being unavailable',
    (code) => {
      expect(isPostgresUnavailable(withCode(code))).toBe(true);
    },
  );

  it('treats a terminated connection as unavailable', () => {
    expect(isPostgresUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it.each(['23505', '42P01', '40P01'])(
    'treats %s as a fault of the request or the code, not an outage',
    (code) => {
      expect(isPostgresUnavailable(withCode(code))).toBe(false);
    },
  );
});

describe('isSqliteUnavailable', () => {
  it.each(['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY'])(
    'treats %s as unavailable',
    (code) => {
      expect(isSqliteUnavailable(withCode(code))).toBe(true);
    },
  );

  it('treats a constraint violation as a fault', () => {
    expect(isSqliteUnavailable(withCode('SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
  });
});
