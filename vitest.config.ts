import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages are consumed from source in tests: no build step before `npm test`.
    conditions: ['source'],
  },
  ssr: {
    resolve: { conditions: ['source'] },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['packages/server/test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: more forks only fight over them and over the one PostgreSQL.
    pool: 'forks',
    maxWorkers: 2,
  },
});
