/** What a DATABASE_URL names: a PostgreSQL database (`postgres://…`) or a SQLite file (a path or a `file:` URL). */
import { fileURLToPath } from 'node:url';

export type DatabaseLocation =
  | { readonly engine: 'postgres'; readonly url: string }
  | { readonly engine: 'sqlite'; readonly file: string };

/**
 * Undefined for any other scheme (`mysql://…`, `sqlite://…`): read as a relative path, such a URL would quietly
 * become a directory named after it.
 */
export function databaseLocationOf(databaseUrl: string): DatabaseLocation | undefined {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { engine: 'postgres', url: databaseUrl };
  }
  if (databaseUrl.startsWith('file://')) {
    try {
      return { engine: 'sqlite', file: fileURLToPath(databaseUrl) };
    } catch {
      return undefined;
    }
  }
  if (databaseUrl.startsWith('file:')) {
    return { engine: 'sqlite', file: decodeURIComponent(databaseUrl.slice('file:'.length)) };
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) ? undefined : { engine: 'sqlite', file: databaseUrl };
}
