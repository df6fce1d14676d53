import { defineConfig } from "vitest/config";

/**
 * The differential suite: every node test's fixtures, run on DuckDB as always and again on PostgreSQL 15 (the
 * machine's) and 18 (embedded), compared exactly (packages/pipeline/src/testing/differential.setup.ts). Prints
 * "node fixtures equal / not pushable / total" at the end. `npm run test:differential`.
 */
export default defineConfig({
  test: {
    include: ["packages/pipeline/src/nodes/**/*.node.test.ts", "packages/pipeline/src/nodes/**/*-plan.test.ts", "packages/pipeline/src/expression/compile-expression.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["./tmpdir-leftovers.global-setup.ts", "./packages/pipeline/src/testing/differential.global-setup.ts"],
    setupFiles: ["./packages/pipeline/src/testing/differential.setup.ts"],
  },
});
