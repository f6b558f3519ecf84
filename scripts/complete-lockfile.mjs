#!/usr/bin/env node
// The npm registry mirror of this workplace serves Biome's binaries for glibc Linux only, so a lock file
// written here lacks Biome's other platform packages and `npm ci` refuses it ("Missing: … from lock file").
// This adds the missing entries, derived from Biome's own optionalDependencies and its package naming
// (cli-<os>-<cpu>[-musl]). They are optional and platform-bound: npm never fetches them on Linux, and on
// another platform fetches them by name and version from the registry. Idempotent.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK_PATH = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK_PATH, 'utf8'));
const biome = lock.packages['node_modules/@biomejs/biome'];
if (biome === undefined) {
  process.exit(0);
}

let added = 0;
for (const [name, version] of Object.entries(biome.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  const match = /^@biomejs\/cli-([a-z0-9]+)-([a-z0-9]+)(-musl)?$/.exec(name);
  if (lock.packages[key] !== undefined || match === null) {
    continue;
  }
  const [, os, cpu, musl] = match;
  lock.packages[key] = {
    version,
    cpu: [cpu],
    dev: true,
    license: biome.license,
    optional: true,
    os: [os],
    ...(os === 'linux' ? { libc: [musl ? 'musl' : 'glibc'] } : {}),
    engines: biome.engines,
  };
  added++;
}
if (added > 0) {
  // Keep npm's key order (alphabetical) so the diff stays small.
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync(LOCK_PATH, `${JSON.stringify(lock, null, 2)}\n`);
  process.stderr.write(`complete-lockfile: added ${added} optional Biome platform entries\n`);
}
