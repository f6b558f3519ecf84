/**
 * The layering, checked where lint config could be edited silently: domain/ imports nothing outside
 * itself but the contract; services/ know no HTTP; storage/ knows no services or HTTP.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder } from './support/source-files.js';

const SOURCE_ROOT = join(import.meta.dirname, '..', 'src');

const sourceFiles = (directory: string) => filesUnder(directory, (name) => name.endsWith('.ts'));

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map(
    (match) => match[1] as string,
  );
}

function violations(layer: string, isForbidden: (specifier: string) => boolean): string[] {
  return sourceFiles(join(SOURCE_ROOT, layer))
    .filter((file) => !file.endsWith('.test.ts'))
    .flatMap((file) =>
      importsOf(file)
        .filter(isForbidden)
        .map((specifier) => `${relative(SOURCE_ROOT, file)} imports ${specifier}`),
    );
}

describe('layering', () => {
  it('keeps domain/ pure: no Node, HTTP, SQL or other layers', () => {
    expect(
      violations(
        'domain',
        (s) =>
          s.startsWith('node:') ||
          (!s.startsWith('.') && s !== '@openmomo/contract') ||
          s.startsWith('../../'),
      ),
    ).toEqual([]);
  });

  it('keeps services/ free of HTTP and of the SQL library', () => {
    expect(violations('services', (s) => s.includes('/http/') || s === 'fastify' || s === 'kysely')).toEqual(
      [],
    );
  });

  it('keeps storage/ free of services and HTTP', () => {
    expect(
      violations(
        'storage',
        (s) =>
          s.includes('/http/') ||
          (s.includes('/services/') && !s.endsWith('accounts.js') && !s.endsWith('ledger-posting.js')),
      ),
    ).toEqual([]);
  });
});
