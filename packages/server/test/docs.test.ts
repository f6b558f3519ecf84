/** Documents that restate code are checked against it, so they cannot drift. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '@openmomo/contract';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';
import { filesUnder } from './support/source-files.js';

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

  it('says "Never" only of codes that no part of the server answers with', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'docs', 'errors.md'), 'utf8');
    const never = [...text.matchAll(/^\|\s*`([^`]+)`\s*\|\s*\d{3}\s*\|\s*Never[:.]/gm)].map(
      (match) => match[1],
    );
    const sources = filesUnder(join(REPOSITORY_ROOT, 'packages', 'server', 'src'), (name) =>
      name.endsWith('.ts'),
    ).map((file) => readFileSync(file, 'utf8'));

    const answered = never.filter((code) =>
      sources.some((source) => source.includes(`momoFailure('${code}'`)),
    );

    expect(never.length).toBeGreaterThan(0);
    expect(answered).toEqual([]);
  });
});

describe('README.md', () => {
  it('documents every environment variable the server reads, and no other, in its configuration table', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const documented = [...text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((match) => match[1]);
    expect([...documented].sort()).toEqual(Object.values(ENVIRONMENT_VARIABLES).sort());
  });
});
