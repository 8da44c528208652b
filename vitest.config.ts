import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Real-tool suites (runc, the kernel oracle) start containers: give them time on 2 cores.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Under CI the JSON report gives .ci/run exact counts for its closing "N passed, N failed" line.
    reporters:
      process.env.CI === 'true' ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
  },
});
