import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Real-tool suites (runc, the kernel oracle) fork containers: keep them from starving each other on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
