import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:chaos`: tests that break shared infrastructure (they stop PostgreSQL), run alone and in sequence. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/chaos/**/*.chaos.test.ts'],
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
