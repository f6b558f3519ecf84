/** What a DATABASE_URL names: a PostgreSQL database (`postgres://…`) or a SQLite file (a path or a `file:` URL). */
import { fileURLToPath } from 'node:url';

export type DatabaseLocation =
  | { readonly engine: 'postgres'; readonly url: string }
  | { readonly engine: 'sqlite'; readonly file: string };

/**
 * A scheme of two letters or more (`mysql:`, `sqlite:`): read as a relative path, such a URL would quietly
 * become a directory named after it. One letter is a Windows drive (`C:\data\openmomo.db`).
 */
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/**
 * The file a `file:` URL names, with or without an authority; undefined for one that names none, has a
 * malformed escape, or carries a query (SQLite URI parameters, which this server would not apply).
 */
function fileOf(url: string): string | undefined {
  if (url.includes('?')) {
    return undefined;
  }
  try {
    const file = /^file:\/\//i.test(url)
      ? fileURLToPath(url.replace(/^file:/i, 'file:'))
      : decodeURIComponent(url.slice('file:'.length));
    return file === '' ? undefined : file;
  } catch {
    return undefined;
  }
}

/** Undefined for a URL of any other scheme, or a `file:` URL that names no file. */
export function databaseLocationOf(databaseUrl: string): DatabaseLocation | undefined {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    return { engine: 'postgres', url: databaseUrl };
  }
  if (/^file:/i.test(databaseUrl)) {
    const file = fileOf(databaseUrl);
    return file === undefined ? undefined : { engine: 'sqlite', file };
  }
  return OTHER_SCHEME.test(databaseUrl) ? undefined : { engine: 'sqlite', file: databaseUrl };
}
