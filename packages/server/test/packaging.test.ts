/**
 * Every workspace package declares the packages its shipped code imports, types included: inside the
 * workspace a missing one still resolves (npm links them all), but installed from a registry it would not.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder } from './support/source-files.js';

const PACKAGES_ROOT = join(import.meta.dirname, '..', '..');

// Tests, and the store contract the engines' tests share, are not built (tsconfig.build.json).
const shippedSources = (directory: string) =>
  filesUnder(directory, (name) => /\.(tsx?|js)$/.test(name) && !/\.(test|contract)\.ts$/.test(name));

/** The package names a file imports or re-exports, statically or dynamically, values or types. */
function importedPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    // require('x'), and createRequire(…).resolve('x') for a package's files.
    ...text.matchAll(/(?:\brequire|\brequire\.resolve|\)\.resolve)\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] as string);
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .filter((specifier) => !builtinModules.includes(specifier))
    .map((specifier) =>
      (specifier.startsWith('@') ? specifier.split('/').slice(0, 2) : specifier.split('/').slice(0, 1)).join(
        '/',
      ),
    );
}

const PACKAGES = readdirSync(PACKAGES_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('workspace packages', () => {
  it.each(PACKAGES)('%s declares every package its sources import', (name) => {
    const root = join(PACKAGES_ROOT, name);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const declared = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);

    // bin/ holds a command's entry script (the CLI's), shipped as it is.
    const shipped = ['src', 'bin'].filter((directory) => existsSync(join(root, directory)));
    const undeclared = shipped
      .flatMap((directory) => shippedSources(join(root, directory)))
      .flatMap((file) =>
        importedPackages(file)
          .filter((imported) => !declared.has(imported))
          .map((imported) => `${relative(root, file)} imports ${imported}`),
      );

    expect(undeclared).toEqual([]);
  });
});
