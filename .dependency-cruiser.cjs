// The architecture rules of ../shared/STYLE.md ("Our shape"), checked by the build instead of by goodwill.
// `npm run lint` runs it over the repo; architecture.test.ts proves each rule fires on a wrong import.
// A rule here is a decision: change it in review, with the reason in its comment, never to make a red build green.

/** Modules that ship in model and pipeline: everything but their tests and test harnesses (which may use DuckDB and files). */
const CORE_SHIPPED = { path: "^packages/(model|pipeline)/src/", pathNot: ["\\.test\\.tsx?$", "^packages/[^/]+/src/testing/"] };

/** Where the Prisma client may be named: data access, the database module, the composition roots, test wiring and tests. */
const PRISMA_ALLOWED = [
  "\\.repository\\.ts$",
  "^apps/server/src/db/",
  "^apps/server/src/(runtime|main|worker-main)\\.ts$",
  "^apps/server/src/testing/",
  "\\.test\\.tsx?$",
];

/**
 * Where a database client may be made (a value import of db/prisma.ts, i.e. createPrisma): the above, and the
 * command-line entry points that open their own connection (the token CLI and the benchmark harness).
 */
const CLIENT_MAKERS = [...PRISMA_ALLOWED, "^apps/server/src/tokens/create-token\\.ts$", "^apps/server/src/bench/"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "web-not-engine-or-server",
      comment:
        "The web app runs in a browser: it uses the framework-free core (model, pipeline) and reaches the engine only through the server's API.",
      severity: "error",
      from: { path: "^apps/web/" },
      to: { path: "^(packages/(engine|cli)|apps/server)/" },
    },
    {
      name: "core-no-node-builtins",
      comment:
        "model and pipeline are framework-free (schemas, catalog, validation, compiler) so both apps and the browser can use them: no Node built-ins. Their tests and src/testing/ harnesses may.",
      severity: "error",
      from: CORE_SHIPPED,
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "core-no-frameworks",
      comment:
        "model and pipeline know nothing of React, Express, Prisma, PostgreSQL or DuckDB: those belong to the apps and the engine.",
      severity: "error",
      from: CORE_SHIPPED,
      to: { path: "(^|/)node_modules/(react|react-dom|express|pg|duckdb|@prisma/[^/]+|@duckdb/[^/]+)/" },
    },
    {
      name: "no-deep-import",
      comment:
        "A package is used only through its public entry (`@sluice/x`, which is src/index.ts, or `@sluice/x/testing` for test helpers), never by reaching into its src/.",
      severity: "error",
      from: { path: "^(packages/[^/]+|apps/[^/]+|e2e|prisma|scripts)/" },
      to: { path: "^packages/[^/]+/src/", pathNot: ["^$1/", "^packages/[^/]+/src/(index|testing)\\.ts$"] },
    },
    {
      name: "no-relative-import-across-packages",
      comment: "Another package is imported by its name (`@sluice/x`), not by a relative path, even to its entry.",
      severity: "error",
      from: { path: "^(packages/[^/]+|apps/[^/]+)/" },
      to: { path: "^packages/", pathNot: "^$1/", dependencyTypes: ["local"] },
    },
    {
      name: "model-imports-no-workspace",
      comment: "The direction is model <- pipeline <- engine <- server/cli (web uses model and pipeline): model is the root.",
      severity: "error",
      from: { path: "^packages/model/" },
      to: { path: "^(packages/(pipeline|engine|cli)|apps)/" },
    },
    {
      name: "pipeline-imports-only-model",
      comment: "The direction is model <- pipeline <- engine <- server/cli: pipeline builds on model alone.",
      severity: "error",
      from: { path: "^packages/pipeline/" },
      to: { path: "^(packages/(engine|cli)|apps)/" },
    },
    {
      name: "engine-imports-only-model-and-pipeline",
      comment: "The direction is model <- pipeline <- engine <- server/cli: the engine knows neither app nor the CLI.",
      severity: "error",
      from: { path: "^packages/engine/" },
      to: { path: "^(packages/cli|apps)/" },
    },
    {
      name: "cli-and-server-apart",
      comment: "The CLI talks to the server over HTTP (or runs the engine itself with --local); neither imports the other.",
      severity: "error",
      from: { path: "^(packages/cli|apps/server)/" },
      to: { path: "^(packages/cli|apps/server)/", pathNot: "^$1/" },
    },
    {
      name: "prisma-only-in-repositories",
      comment:
        "Prisma (@prisma/* and the generated client) is named only in repositories (*.repository.ts), apps/server/src/db/, the wiring (runtime.ts, main.ts, worker-main.ts), apps/server/src/testing/ and tests; handlers and services get plain objects.",
      severity: "error",
      from: { pathNot: PRISMA_ALLOWED },
      to: { path: ["^apps/server/src/generated/", "(^|/)node_modules/@prisma/"] },
    },
    {
      name: "db-client-made-only-in-wiring",
      comment:
        "db/prisma.ts: a value import (createPrisma) makes a client, which only the wiring and CLI entry points do. " +
        "A type-only import of Db/Tx is allowed anywhere in the server: a service may hold the handle and open a " +
        "transaction ($transaction) to hand `tx` to repositories and the audit log. Running queries on the handle is " +
        "for repositories only; eslint.config.js checks that (no-restricted-syntax outside *.repository.ts).",
      severity: "error",
      from: { pathNot: CLIENT_MAKERS },
      to: { path: "^apps/server/src/db/prisma\\.ts$", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    // The generated Prisma client and installed packages are targets of rules, not code to check.
    doNotFollow: { path: ["(^|/)node_modules/", "^apps/server/src/generated/"] },
    exclude: { path: ["(^|/)dist/", "^test-results/", "^e2e/artifacts/", "^playwright-report/"] },
    // See `import type`, and tell it apart (dependencyTypes "type-only"), as verbatimModuleSyntax writes it.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
