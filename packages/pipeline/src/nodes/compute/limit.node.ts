import { z } from "zod";
import { ok } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { passThrough } from "../../catalog/node-lineage.ts";

const configSchema = z.object({
  count: z.number().int().min(0, "count cannot be negative").default(100),
  skip: z.number().int().min(0, "skip cannot be negative").default(0).describe("Rows to skip, in input order, before keeping `count`."),
});
type LimitConfig = z.infer<typeof configSchema>;

export const limitNode = defineNode<LimitConfig>({
  type: "limit",
  // Version 2 renamed `offset` (SQL's word) to `skip`, which says what it does.
  version: 2,
  migrations: [
    {
      from: 1,
      // Version 1 read only `offset`: it wins over a stray `skip` (which version 1 ignored); without it, a `skip`
      // that is already there (a graph written in code for version 2 without saying so) is kept.
      up: ({ offset, ...rest }) => (offset === undefined ? rest : { ...rest, skip: offset }),
    },
  ],
  category: "compute",
  label: "Limit rows",
  description: "Keep `count` rows after skipping `skip` rows, in input order.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema,
  defaultConfig: { count: 100, skip: 0 },
  summary: (c) => `first ${c.count} row${c.count === 1 ? "" : "s"}${c.skip ? ` after ${c.skip}` : ""}`,
  inferSchema: (ctx) => ok({ out: ctx.inputs.in?.[0] ?? [] }),
  // Which rows stay depends on their position, not on any column's values.
  lineage: (ctx) => ({ out: passThrough(ctx.inputs.in?.[0] ?? []) }),
  rowOrder: () => "uses",
  compile(ctx, config) {
    // Numbers are validated integers from the config schema, not user text.
    const sql = `SELECT * FROM ${ctx.relations.in![0]} ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)} LIMIT ${config.count} OFFSET ${config.skip}`;
    return { kind: "query", outputs: { out: sql } };
  },
});
