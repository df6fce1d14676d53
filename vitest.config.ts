import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "prisma/**/*.test.ts", "scripts/**/*.test.ts", "architecture.test.ts", "dockerfile.test.ts", "tmpdir-leftovers.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    // Fails the run when tests leave files or folders in the temporary folder.
    globalSetup: ["./tmpdir-leftovers.global-setup.ts"],
  },
});
