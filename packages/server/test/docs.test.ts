/** Documents that restate code are checked against it, so they cannot drift. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '@openmomo/contract';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';

const REPOSITORY_ROOT = join(import.meta.dirname, '..', '..', '..');

describe('docs/errors.md', () => {
  it('lists exactly the codes of the error catalogue, each with its HTTP status', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'docs', 'errors.md'), 'utf8');
    const rows = [...text.matchAll(/^\|\s*`([^`]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [
      match[1],
      Number(match[2]),
    ]);
    const catalogue = Object.entries(ERROR_CODES).map(([code, entry]) => [code, entry.httpStatus]);
    expect(rows).toEqual(catalogue);
  });
});

describe('README.md', () => {
  it('documents every environment variable the server reads, and no other, in its configuration table', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const documented = [...text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((match) => match[1]);
    expect([...documented].sort()).toEqual(Object.values(ENVIRONMENT_VARIABLES).sort());
  });
});
