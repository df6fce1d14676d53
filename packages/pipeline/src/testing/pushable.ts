import type { AnyNodeDefinition, Pushdown } from "../catalog/node-definition.ts";
import { pushdown } from "../catalog/pushdown.ts";
import { postgresDialect } from "../sql/postgres-dialect.ts";
import { quoteIdent } from "../sql/quote.ts";
import { emptyEnv, type FixtureTable } from "./duckdb-harness.ts";

/** Whether a node with this config over these inputs runs inside PostgreSQL with DuckDB's results, or why not. */
export function pushableToPostgres(def: AnyNodeDefinition, rawConfig: unknown, inputs: Record<string, FixtureTable[]>): Pushdown {
  const config = def.configSchema.parse(rawConfig);
  const schemas = Object.fromEntries(Object.entries(inputs).map(([p, ts]) => [p, ts.map((t) => t.columns)]));
  const relations = Object.fromEntries(Object.entries(inputs).map(([p, ts]) => [p, ts.map((_, i) => quoteIdent(`in_${p}_${i}`))]));
  const inferred = def.inferSchema({ nodeId: "n1", inputs: schemas, env: emptyEnv }, config);
  if (!inferred.ok) throw new Error(`the config does not validate: ${JSON.stringify(inferred.issues)}`);
  return pushdown(def, { nodeId: "n1", inputs: schemas, env: emptyEnv, relations, outputs: inferred.value, dialect: postgresDialect }, config);
}
