import { z } from "zod";
import { columnWidget } from "../../catalog/widgets.ts";

/** The aggregate functions of the group node and of the aggregate node's total mode (a group without keys). */
export const AGGREGATES = ["count", "count_distinct", "sum", "avg", "min", "max", "median", "stddev", "first", "last", "string_agg"] as const;
export type AggregateFunction = (typeof AGGREGATES)[number];

/**
 * One aggregation, the same in both nodes: the aggregate node's total mode is compiled as a group without keys,
 * so a change here changes both nodes' config schemas, and both need a version and a migration.
 */
export const aggregationSchema = z.object({
  /** Optional for count only (count rows); every other function needs a column. */
  column: z.string().min(1).meta(columnWidget()).optional(),
  fn: z.enum(AGGREGATES),
  /** Output column name; defaults to "<column>_<fn>", or "count" for a row count. */
  as: z.string().min(1).optional(),
  /** string_agg only. */
  separator: z.string().default(", "),
});
export type Aggregation = z.infer<typeof aggregationSchema>;
