import { describe, expect, it } from 'vitest';
import { isPostgresRetryable, isPostgresUnavailable } from './postgres.js';
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

describe('isPostgresRetryable', () => {
  it.each(['40001', '40P01'])('runs a transaction aborted with %s again', (code) => {
    expect(isPostgresRetryable(withCode(code))).toBe(true);
  });

  it('runs a transaction again after a stale prepared statement, whatever language the message is in', () => {
    const stale = Object.assign(new Error('le plan en cache ne doit pas modifier le type de résultat'), {
      code: '0A000',
      routine: 'RevalidateCachedQuery',
    });

    expect(isPostgresRetryable(stale)).toBe(true);
  });

  it('does not run again another unsupported feature, or a missing error', () => {
    expect(isPostgresRetryable(Object.assign(new Error('not supported'), { code: '0A000' }))).toBe(false);
    expect(isPostgresRetryable(undefined)).toBe(false);
  });
});
