import { DialectUnsupported } from "../sql/dialect.ts";
import type { AnyNodeDefinition, CompileContext, Pushdown } from "./node-definition.ts";

/**
 * Whether a node with this config gives DuckDB's results when compiled for `ctx.dialect`: no when the node says so
 * (its `pushdown`), or when the dialect cannot express one of its settings (compiling throws DialectUnsupported).
 * Only for a config whose inferSchema succeeded; any other error is a bug and is thrown.
 */
export function pushdown(def: AnyNodeDefinition, ctx: CompileContext, config: unknown): Pushdown {
  const own = def.pushdown?.(config);
  if (own && !own.ok) return own;
  try {
    def.compile(ctx, config);
    return { ok: true };
  } catch (e) {
    if (e instanceof DialectUnsupported) return { ok: false, reason: e.reason };
    throw e;
  }
}
