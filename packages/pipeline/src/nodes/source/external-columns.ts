import { error, fail, failAll, ok, type Column, type Issue, type Result } from "@sluice/model";
import { ROW_ORDER_COLUMN, type InferContext } from "../../catalog/node-definition.ts";
import { duplicateNames } from "../../catalog/columns.ts";

/**
 * The columns of an external source (postgres, http), which the server resolves before validation by
 * asking the source itself; a node only reads them from the environment.
 */
export function externalColumns(ctx: InferContext, what: string): Result<Record<string, Column[]>> {
  const resolved = ctx.env.sourceColumns(ctx.nodeId);
  if (!resolved) {
    return fail(
      error(
        "SOURCE_NOT_RESOLVED",
        `The columns of this ${what} are not known yet: they are looked up from the ${what} when the pipeline is validated on the server. Validate again, or check that the server can reach the ${what}.`,
        { nodeId: ctx.nodeId },
      ),
    );
  }
  if (!resolved.ok) return failAll(resolved.issues.map((i) => ({ ...i, nodeId: i.nodeId ?? ctx.nodeId })));
  const issues: Issue[] = [];
  const columns = resolved.value;
  if (columns.length === 0) issues.push(error("NO_COLUMNS", `The ${what} returns no columns.`, { nodeId: ctx.nodeId }));
  if (columns.some((c) => c.name === ROW_ORDER_COLUMN)) {
    issues.push(error("RESERVED_COLUMN_NAME", `The ${what} returns a column named "${ROW_ORDER_COLUMN}", a name Sluice reserves; rename it.`, { nodeId: ctx.nodeId }));
  }
  // DuckDB compares names without regard to case, so "ID" and "id" cannot both be columns.
  for (const name of duplicateNames(columns.map((c) => ({ ...c, name: c.name.toLowerCase() })))) {
    issues.push(error("DUPLICATE_COLUMN", `The ${what} returns more than one column named "${name}" (ignoring case); give them distinct names.`, { nodeId: ctx.nodeId }));
  }
  return issues.length ? failAll(issues) : ok({ out: columns });
}
