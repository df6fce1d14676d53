import { z } from "zod";
import { ok } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { quoteIdent } from "../../sql/quote.ts";

const configSchema = z.object({
  count: z.number().int().min(0, "count cannot be negative").default(100),
  offset: z.number().int().min(0, "offset cannot be negative").default(0),
});
type LimitConfig = z.infer<typeof configSchema>;

export const limitNode = defineNode<LimitConfig>({
  type: "limit",
  version: 1,
  category: "compute",
  label: "Limit rows",
  description: "Keep `count` rows after skipping `offset` rows, in input order.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { count: 100, offset: 0 },
  summary: (c) => `first ${c.count} row${c.count === 1 ? "" : "s"}${c.offset ? ` after ${c.offset}` : ""}`,
  inferSchema: (ctx) => ok({ out: ctx.inputs.in?.[0] ?? [] }),
  compile(ctx, config) {
    // Numbers are validated integers from the config schema, not user text.
    const sql = `SELECT * FROM ${ctx.relations.in![0]} ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)} LIMIT ${config.count} OFFSET ${config.offset}`;
    return { kind: "query", outputs: { out: sql } };
  },
});
