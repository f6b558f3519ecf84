import { describe, expect, it } from 'vitest';
import { databaseLocationOf } from './database-url.js';

describe('databaseLocationOf', () => {
  it('names PostgreSQL for postgres:// and postgresql:// URLs', () => {
    expect(databaseLocationOf('postgres://u@h/db')).toEqual({ engine: 'postgres', url: 'postgres://u@h/db' });
    expect(databaseLocationOf('postgresql://u@h/db')?.engine).toBe('postgres');
  });

  it('reads a path as a SQLite file', () => {
    expect(databaseLocationOf('./data/openmomo.db')).toEqual({
      engine: 'sqlite',
      file: './data/openmomo.db',
    });
  });

  it('reads the file a file: URL names, with or without the authority, escapes decoded', () => {
    expect(databaseLocationOf('file:///tmp/open%20momo.db')).toEqual({
      engine: 'sqlite',
      file: '/tmp/open momo.db',
    });
    expect(databaseLocationOf('file:/tmp/openmomo.db')).toEqual({
      engine: 'sqlite',
      file: '/tmp/openmomo.db',
    });
    expect(databaseLocationOf('file:data/openmomo.db')).toEqual({
      engine: 'sqlite',
      file: 'data/openmomo.db',
    });
  });

  it('reads a Windows path, whose drive letter looks like a scheme, as a SQLite file', () => {
    expect(databaseLocationOf('C:\\data\\openmomo.db')).toEqual({
      engine: 'sqlite',
      file: 'C:\\data\\openmomo.db',
    });
  });

  it('names nothing for a URL of another scheme, with or without slashes', () => {
    expect(databaseLocationOf('mysql://localhost/openmomo')).toBeUndefined();
    expect(databaseLocationOf('sqlite:///tmp/openmomo.db')).toBeUndefined();
    expect(databaseLocationOf('sqlite:/tmp/openmomo.db')).toBeUndefined();
  });

  it('reads the file: scheme in any case', () => {
    expect(databaseLocationOf('FILE:/tmp/openmomo.db')).toEqual({
      engine: 'sqlite',
      file: '/tmp/openmomo.db',
    });
  });

  it('names nothing for a file: URL without a file, with a malformed escape, or with a query', () => {
    expect(databaseLocationOf('file:')).toBeUndefined();
    expect(databaseLocationOf('file:/tmp/100%.db')).toBeUndefined();
    expect(databaseLocationOf('file:./dev.db?mode=ro')).toBeUndefined();
    expect(databaseLocationOf('file:///tmp/dev.db?mode=ro')).toBeUndefined();
  });
});
