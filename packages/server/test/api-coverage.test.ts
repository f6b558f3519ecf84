/** docs/api-coverage.md against the routes the server really registers: the table cannot drift. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from './support/momo-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const REPOSITORY_ROOT = join(import.meta.dirname, '..', '..', '..');
const TEST_ROOT = import.meta.dirname;
/** OpenMoMo's own routes, not MoMo's: not in the coverage table. */
const OWN_ROUTES = /^(\/admin\/|\/health$)/;

interface CoverageRow {
  readonly route: string;
  readonly implemented: boolean;
  readonly testFiles: string[];
}

function coverageRows(): CoverageRow[] {
  const text = readFileSync(join(REPOSITORY_ROOT, 'docs', 'api-coverage.md'), 'utf8');
  return [
    ...text.matchAll(/^\|\s*(GET|POST|PUT|DELETE)\s*\|\s*`([^`]+)`\s*\|\s*(yes|no)\s*\|([^|]*)\|/gm),
  ].map((match) => ({
    route: `${match[1]} ${match[2]}`,
    implemented: match[3] === 'yes',
    testFiles: [...(match[4] ?? '').matchAll(/`([^`]+)`/g)].map((file) => file[1] as string),
  }));
}

describe('docs/api-coverage.md', () => {
  let server: TestServer;
  let servedRoutes: string[];
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const document = (await http(server.baseUrl, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    servedRoutes = Object.entries(document.paths)
      .filter(([path]) => !OWN_ROUTES.test(path))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
  });
  afterAll(() => server.close());

  it('marks as implemented exactly the MoMo routes the server registers', () => {
    const implemented = coverageRows()
      .filter((row) => row.implemented)
      .map((row) => row.route);
    expect([...implemented].sort()).toEqual([...servedRoutes].sort());
  });

  it('names, for every implemented route, test files that exist and exercise its resource', () => {
    const problems = coverageRows()
      .filter((row) => row.implemented)
      .flatMap((row) => {
        const path = row.route.split(' ')[1] as string;
        // The last fixed segment names the resource: transfer, balance, active, userinfo, token, apikey, …
        const resource = path
          .split('/')
          .filter((segment) => segment !== '' && !segment.startsWith('{'))
          .at(-1) as string;
        if (row.testFiles.length === 0) {
          return [`${row.route}: no test file named`];
        }
        return row.testFiles
          .filter(
            (file) =>
              !existsSync(join(TEST_ROOT, file)) ||
              !readFileSync(join(TEST_ROOT, file), 'utf8').includes(resource),
          )
          .map((file) => `${row.route}: ${file} is missing or never mentions ${resource}`);
      });
    expect(problems).toEqual([]);
  });
});
