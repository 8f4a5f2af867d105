import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests drive tmux and spawn the built CLI; two cores do not take kindly to many at once.
    maxWorkers: 2,
  },
});
