// The lint of `npm run lint`: the rules the codebase already follows, so a finding is a real one. Style is not
// linted (no formatter rules); the layering rules are dependency-cruiser's (.dependency-cruiser.cjs).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/",
      "**/dist/",
      "apps/server/src/generated/",
      "test-results/",
      "playwright-report/",
      "e2e/artifacts/",
      ".data/",
      "bench/out/",
    ],
  },
  js.configs.recommended,
  // Recommended, not type-checked: the type-aware rules would need a TypeScript program and make the lint slow.
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a rest sibling dropped).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // Off: matching control characters is the point where it appears (names, terminal output and redirect
      // targets are cleaned of them on purpose).
      "no-control-regex": "off",
    },
  },
  {
    // Prisma in repositories only, the half dependency-cruiser cannot see: a server module may hold the `db`
    // handle (a type-only import of Db/Tx) and open a transaction with it, but a query on it (db.run.findMany,
    // tx.user.count, db.$queryRaw) belongs in a *.repository.ts. The handle goes by `db`, `tx` or `prisma`.
    files: ["apps/server/src/**/*.ts"],
    ignores: ["apps/server/src/**/*.repository.ts", "apps/server/src/db/**", "apps/server/src/testing/**", "apps/server/src/**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...["db", "tx", "prisma"].flatMap((h) => [
          {
            selector: `CallExpression[callee.object.object.name='${h}'], CallExpression[callee.object.object.property.name='${h}']`,
            message: `A query on the database handle \`${h}\` belongs in a *.repository.ts (Prisma in repositories only); call a repository function here.`,
          },
          {
            selector: `TaggedTemplateExpression > MemberExpression.tag[property.name=/^\\$(queryRaw|executeRaw)$/]:matches([object.name='${h}'], [object.property.name='${h}'])`,
            message: `Raw SQL on the database handle \`${h}\` belongs in a *.repository.ts (Prisma in repositories only).`,
          },
        ]),
      ],
    },
  },
  {
    // Two Prisma queries whose cost is not what they read like (docs/security.md, "Lists and their limits"). A `take`
    // inside an include or select (`include: { runs: { take: 1 } }`) is applied in memory after reading every related
    // row: listing pipelines read every run. And startsWith, endsWith and contains send the text as a LIKE pattern
    // without escaping it, so a name with % or _ matches far more than itself. Write the SQL (LATERAL … LIMIT,
    // starts_with()) instead.
    files: ["apps/server/src/**/*.repository.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "Property > ObjectExpression > Property[key.name='take']",
          message: "Prisma reads every related row for a `take` inside include/select and cuts the list in memory; read the newest rows per parent in SQL (CROSS JOIN LATERAL … LIMIT n).",
        },
        {
          selector: "Property[key.name=/^(startsWith|endsWith|contains)$/]",
          message: "Prisma sends startsWith/endsWith/contains as an unescaped LIKE pattern (% and _ match anything); compare in SQL with starts_with() or an escaped pattern.",
        },
      ],
    },
  },
  {
    // A list spread into a call's arguments throws a RangeError from about 100,000 entries, and a node's problems
    // grow with what a request holds (one per unknown name in an expression): failAll takes the list itself.
    files: ["packages/pipeline/src/**/*.ts"],
    ignores: ["packages/pipeline/src/**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='fail'] > SpreadElement",
          message: "Spreading a list into fail() throws a RangeError once it is long (about 100,000 problems); use failAll(list).",
        },
      ],
    },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
);
