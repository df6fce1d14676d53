import { z } from "zod";
import { columnTypeSchema, error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN, type CompiledBecameNull } from "../../catalog/node-definition.ts";
import { findColumn } from "../../catalog/columns.ts";
import { sameName } from "../../catalog/column-names.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { conversionSql, convertible, trimmedInput, DECIMAL_SEPARATORS, errorMessageSql, formatProblem, THOUSANDS_SEPARATORS, typeName, type Target } from "./retype-conversion.ts";
import { isTimeZone } from "./time-zone.ts";
import { columnWidget } from "../../catalog/widgets.ts";
import { direct, IDENTITY, indirect, origin, passThrough, readAs } from "../../catalog/node-lineage.ts";

export const ERROR_COLUMN = "_error";

const configSchema = z.object({
  columns: z
    .array(
      z.object({
        column: z.string().min(1, "choose a column").meta(columnWidget()),
        to: columnTypeSchema,
        precision: z.number().int().min(1).max(38).optional(),
        scale: z.number().int().min(0).max(38).optional(),
        formats: z.array(z.string().min(1)).default([]),
      }),
    )
    .default([]),
  onError: z
    .enum(["null", "drop", "fail", "reject"])
    .default("null")
    .describe("null: the value becomes null; drop: the row is left out; fail: the run stops; reject: the row goes to \"rows that failed\", with the reason."),
  thousandsSeparator: z.enum(THOUSANDS_SEPARATORS).nullable().default(",").describe("The character grouping thousands in numbers written as text, as in 1,200; none: no grouping."),
  decimalSeparator: z.enum(DECIMAL_SEPARATORS).default(".").describe("The decimal point in numbers written as text: . as in 424.19, or , as in 424,19 (then group thousands with . or none)."),
  timeZone: z
    .string()
    .refine(isTimeZone, "not a time zone; use an IANA name such as UTC or Europe/Berlin")
    .default("UTC")
    .describe("The time zone of timestamps written without an offset (2024-06-01 12:00:00); ones with an offset (…+02:00, …Z) keep theirs. Results are in UTC."),
  booleanWords: z
    .object({ true: z.array(z.string()), false: z.array(z.string()) })
    .default({ true: ["true", "yes", "1", "t", "y"], false: ["false", "no", "0", "f", "n"] }),
});
type RetypeConfig = z.infer<typeof configSchema>;

interface Planned {
  issues: Issue[];
  out: Column[];
  conversions: { column: Column; target: Target; field: string }[];
}

function plan(input: Column[], config: RetypeConfig, nodeId: string): Planned {
  const issues: Issue[] = [];
  const conversions: Planned["conversions"] = [];
  const out = [...input];
  config.columns.forEach((c, i) => {
    const where = { nodeId, field: `columns.${i}` };
    const found = findColumn(input, c.column, { nodeId, field: `${where.field}.column` });
    if (found.issue) return void issues.push(found.issue);
    if (conversions.some((x) => x.column.name === c.column)) {
      return void issues.push(error("DUPLICATE_COLUMN", `Column "${c.column}" is retyped more than once.`, { nodeId, field: `${where.field}.column` }));
    }
    const target: Target = c.to === "decimal" ? { to: c.to, precision: c.precision ?? 18, scale: c.scale ?? 3, formats: c.formats } : { to: c.to, formats: c.formats };
    if (target.to === "decimal" && (target.scale ?? 0) > (target.precision ?? 0)) {
      issues.push(error("INVALID_DECIMAL", `Scale ${target.scale} is larger than precision ${target.precision}.`, { nodeId, field: `${where.field}.scale` }));
    }
    if (!convertible(found.column.type, c.to)) {
      issues.push(error("TYPE_MISMATCH", `Column "${c.column}" is ${found.column.type} and cannot become ${typeName(target)}.`, { nodeId, field: `${where.field}.to` }));
    }
    c.formats.forEach((f, j) => {
      const problem = formatProblem(f);
      if (problem) issues.push(error("INVALID_FORMAT", `Format ${JSON.stringify(f)}: ${problem}.`, { nodeId, field: `${where.field}.formats.${j}` }));
    });
    conversions.push({ column: found.column, target, field: `${where.field}.column` });
    const at = out.findIndex((x) => x.name === c.column);
    out[at] = c.to === "decimal" ? { name: c.column, type: "decimal", precision: target.precision, scale: target.scale } : { name: c.column, type: c.to };
  });
  if (config.thousandsSeparator === config.decimalSeparator) {
    issues.push(error("INVALID_SEPARATORS", `"${config.decimalSeparator}" cannot be both the decimal point and the thousands separator.`, { nodeId, field: "thousandsSeparator" }));
  }
  if (config.onError === "reject" && input.some((c) => sameName(c.name, ERROR_COLUMN))) {
    issues.push(error("DUPLICATE_COLUMN", `Rejected rows get an "${ERROR_COLUMN}" column, but the input already has one; rename it first.`, { nodeId, field: "onError" }));
  }
  return { issues, out, conversions };
}

export const retypeNode = defineNode<RetypeConfig>({
  type: "retype",
  // Version 2 added decimalSeparator and timeZone; a version 1 config gets the values that read as it did. Ones
  // already there (a graph written in code for version 2 without saying so) are kept, as limit's migration does.
  version: 2,
  migrations: [{ from: 1, up: (config) => ({ decimalSeparator: ".", timeZone: "UTC", ...config }) }],
  category: "types",
  label: "Change types",
  description: "Convert columns to other types, parsing text as numbers, booleans, dates or JSON.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [
    { name: "out", label: "Converted rows" },
    { name: "rejects", label: "Rows that failed" },
  ],
  configSchema,
  defaultConfig: configSchema.parse({}),
  summary: (c) => (c.columns.length ? c.columns.map((x) => `${x.column} → ${typeName(x)}`).join(", ").slice(0, 80) : "no columns retyped"),
  inferSchema(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const p = plan(input, config, ctx.nodeId);
    return p.issues.length ? failAll(p.issues) : ok({ out: p.out, rejects: [...input, { name: ERROR_COLUMN, type: "string" }] });
  },
  // A converted column is a transformation of itself; with drop or reject, its failures decide which rows stay.
  lineage(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const converted = plan(input, config, ctx.nodeId).conversions.map((c) => c.column.name);
    const routed = config.onError === "drop" || config.onError === "reject";
    const rows = routed ? readAs(converted, indirect("FILTER", "rows whose value cannot be converted are left out")) : [];
    const columns = Object.fromEntries(input.map((c) => [c.name, [origin(c.name, converted.includes(c.name) ? direct("TRANSFORMATION", "type conversion") : IDENTITY)]]));
    const rejects = passThrough(input, config.onError === "reject" ? readAs(converted, indirect("FILTER", "only rows whose value cannot be converted")) : []);
    rejects.columns[ERROR_COLUMN] = readAs(converted, direct("TRANSFORMATION", "why the conversion failed"));
    return { out: { columns, rows }, rejects };
  },
  keepsRowCount: (config) => config.onError === "null" || config.onError === "fail",
  compile(ctx, config) {
    const input = ctx.inputs.in?.[0] ?? [];
    const rel = ctx.relations.in![0]!;
    const row = quoteIdent(ROW_ORDER_COLUMN);
    const { conversions } = plan(input, config, ctx.nodeId);
    // Where the engine would trim a value at each of the five or six places its conversion reads it, it is trimmed
    // once, in a derived table under a reserved name; the outer SELECT lists its columns, so the name never leaks.
    const trims: string[] = [];
    const byName = new Map(
      conversions.map((c, i) => {
        const trim = ctx.dialect.sharesRepeatedExpressions ? undefined : trimmedInput(c.column, c.target, ctx.dialect);
        const trimmed = trim === undefined ? undefined : quoteIdent(`${ROW_ORDER_COLUMN}_trimmed_${i}`);
        if (trim !== undefined) trims.push(`${trim} AS ${trimmed}`);
        return [c.column.name, { ...c, sql: conversionSql(c.column, c.target, config, ctx.dialect, trimmed) }];
      }),
    );
    const from = trims.length ? `(${ctx.dialect.derivedTable(`SELECT *, ${trims.join(", ")} FROM ${rel}`)}) AS ${quoteIdent("trimmed")}` : rel;
    const failed = (c: { column: Column; sql: string }) => `(${quoteIdent(c.column.name)} IS NOT NULL AND (${c.sql}) IS NULL)`;
    const all = [...byName.values()];
    const anyFailed = all.length ? all.map(failed).join(" OR ") : "FALSE";
    const values = input.map((col) => {
      const c = byName.get(col.name);
      if (!c) return quoteIdent(col.name);
      const value = config.onError === "fail" ? `CASE WHEN ${failed(c)} THEN ${ctx.dialect.raise(errorMessageSql(c.column, c.target, ctx.dialect), { type: c.target.to, precision: c.target.precision, scale: c.target.scale })} ELSE ${c.sql} END` : c.sql;
      // A decimal keeps its precision and scale through CASE on every engine (PostgreSQL's CASE drops them).
      const typed = c.target.to === "decimal" ? `CAST(${value} AS ${ctx.dialect.type({ type: "decimal", precision: c.target.precision, scale: c.target.scale })})` : value;
      return `${typed} AS ${quoteIdent(col.name)}`;
    });
    const keep = config.onError === "drop" || config.onError === "reject" ? ` WHERE NOT (${anyFailed})` : "";
    const out = `SELECT ${[...values, row].join(", ")} FROM ${from}${keep}`;
    const messages = all.map((c) => `CASE WHEN ${failed(c)} THEN ${errorMessageSql(c.column, c.target, ctx.dialect)} END`);
    const errorText = messages.length ? `concat_ws('; ', ${messages.join(", ")})` : ctx.dialect.literal(null, { type: "string" });
    const rejectWhere = config.onError === "reject" ? anyFailed : "FALSE";
    const rejects = `SELECT ${[...input.map((c) => quoteIdent(c.name)), `${errorText} AS ${quoteIdent(ERROR_COLUMN)}`, row].join(", ")} FROM ${from} WHERE ${rejectWhere}`;
    // Only "null" keeps a failed value's row with a null in it; the other modes drop, route or stop on it, and say so.
    const nulling = config.onError === "null" ? all.filter((c) => c.sql !== quoteIdent(c.column.name)) : [];
    const becameNull: CompiledBecameNull | undefined = nulling.length
      ? {
          counts: `SELECT ${nulling.map((c, i) => `count(${quoteIdent(c.column.name)})::BIGINT AS values_${i}, count(*) FILTER (WHERE ${failed(c)})::BIGINT AS nulled_${i}`).join(", ")} FROM ${from}`,
          port: "out",
          input: rel,
          columns: nulling.map((c) => ({ column: c.column.name, field: c.field })),
        }
      : undefined;
    return { kind: "query", outputs: { out, rejects }, ...(becameNull ? { becameNull } : {}) };
  },
});
