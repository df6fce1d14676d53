import { z } from "zod";
import { error, type Column, type Issue } from "@sluice/model";
import { findColumn, isNumeric } from "../../catalog/columns.ts";
import { ROW_ORDER_COLUMN, type CompiledCheck } from "../../catalog/node-definition.ts";
import { checkRegex, checkValue } from "../../catalog/values.ts";
import { columnWidget, columnsWidget, expressionWidget } from "../../catalog/widgets.ts";
import { compileExpression } from "../../expression/compile-expression.ts";
import type { ResolvedParameters } from "../../graph/resolve-parameters.ts";
import type { Dialect } from "../../sql/dialect.ts";
import { quoteIdent } from "../../sql/quote.ts";

const cellSchema = z.union([z.string(), z.number(), z.boolean()]);
const common = {
  severity: z.enum(["warn", "fail"]).default("fail").describe("fail: stop the run before any sink writes; warn: record it and go on."),
  /** Shown instead of the generated description, e.g. "every order has a customer". */
  name: z.string().max(200).optional(),
};

export const ruleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("not_null"), columns: z.array(z.string()).min(1, "choose at least one column").meta(columnsWidget()), ...common }),
  z.object({ kind: z.literal("unique"), columns: z.array(z.string()).min(1, "choose at least one column").meta(columnsWidget()), ...common }),
  z.object({
    kind: z.literal("accepted_values"),
    column: z.string().min(1, "choose a column").meta(columnWidget()),
    values: z.array(cellSchema).min(1, "list at least one accepted value"),
    ...common,
  }),
  z.object({
    kind: z.literal("range"),
    column: z.string().min(1, "choose a column").meta(columnWidget()),
    min: cellSchema.optional(),
    max: cellSchema.optional(),
    ...common,
  }),
  z.object({ kind: z.literal("regex"), column: z.string().min(1, "choose a column").meta(columnWidget()), pattern: z.string().min(1, "write a pattern").max(1000), ...common }),
  z.object({ kind: z.literal("row_count"), min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional(), ...common }),
  z.object({
    kind: z.literal("referential"),
    column: z.string().min(1, "choose a column").meta(columnWidget()),
    referenceColumn: z.string().min(1, "choose the column of the reference input").meta(columnWidget("reference")),
    ...common,
  }),
  z.object({ kind: z.literal("expression"), expression: z.string().min(1, "write a true/false expression").max(10_000).meta(expressionWidget()), ...common }),
]);
export type CheckRule = z.infer<typeof ruleSchema>;

export interface RuleInputs {
  nodeId: string;
  input: Column[];
  /** The reference input's columns, when one is connected. */
  reference: Column[] | undefined;
  params: ResolvedParameters | undefined;
}

const list = (names: string[]) => names.join(", ");
const shown = (v: unknown) => (typeof v === "string" ? `'${v}'` : String(v));

/** What people read for a rule: its name, else a description of what it demands. */
export function describeRule(r: CheckRule): string {
  if (r.name) return r.name;
  switch (r.kind) {
    case "not_null":
      return `${list(r.columns)} not null`;
    case "unique":
      return `${list(r.columns)} unique`;
    case "accepted_values":
      return `${r.column} in (${r.values.map(shown).join(", ")})`;
    case "range":
      return r.min !== undefined && r.max !== undefined
        ? `${r.column} between ${shown(r.min)} and ${shown(r.max)}`
        : r.min !== undefined
          ? `${r.column} at least ${shown(r.min)}`
          : `${r.column} at most ${shown(r.max)}`;
    case "regex":
      return `${r.column} matches ${r.pattern}`;
    case "row_count":
      return r.min !== undefined && r.max !== undefined ? `between ${r.min} and ${r.max} rows` : r.min !== undefined ? `at least ${r.min} row${r.min === 1 ? "" : "s"}` : `at most ${r.max} row${r.max === 1 ? "" : "s"}`;
    case "referential":
      return `${r.column} found in reference ${r.referenceColumn}`;
    case "expression":
      return r.expression;
    default: {
      const never: never = r;
      throw new Error(`unknown rule ${JSON.stringify(never)}`);
    }
  }
}

const family = (c: Column) => (isNumeric(c) ? "number" : c.type === "date" || c.type === "timestamp" ? "temporal" : c.type);

/** Everything wrong with one rule, against the columns it reads. */
export function checkRule(r: CheckRule, at: string, x: RuleInputs): Issue[] {
  const where = (field: string) => ({ nodeId: x.nodeId, field: `${at}.${field}` });
  const column = (name: string, field = "column", columns = x.input) => findColumn(columns, name, where(field));
  switch (r.kind) {
    case "not_null":
    case "unique":
      return r.columns.flatMap((name, i) => column(name, `columns.${i}`).issue ?? []);
    case "accepted_values": {
      const c = column(r.column);
      if (c.issue) return [c.issue];
      return r.values.flatMap((v, i) => checkValue(v, c.column, where(`values.${i}`)) ?? []);
    }
    case "range": {
      const c = column(r.column);
      if (c.issue) return [c.issue];
      if (c.column.type === "json" || c.column.type === "boolean") {
        return [error("TYPE_MISMATCH", `A range needs a column with an order (numbers, dates, text); "${c.column.name}" is ${c.column.type}.`, where("column"))];
      }
      if (r.min === undefined && r.max === undefined) return [error("MISSING_VALUE", "Give a minimum, a maximum or both.", where("min"))];
      const bounds = [r.min === undefined ? undefined : checkValue(r.min, c.column, where("min")), r.max === undefined ? undefined : checkValue(r.max, c.column, where("max"))];
      return bounds.filter((i): i is Issue => i !== undefined);
    }
    case "regex": {
      const c = column(r.column);
      if (c.issue) return [c.issue];
      if (c.column.type !== "string") return [error("TYPE_MISMATCH", `A pattern needs a text column; "${c.column.name}" is ${c.column.type}.`, where("column"))];
      const bad = checkRegex(r.pattern, where("pattern"));
      return bad ? [bad] : [];
    }
    case "row_count":
      if (r.min === undefined && r.max === undefined) return [error("MISSING_VALUE", "Give a minimum, a maximum or both.", where("min"))];
      return r.min !== undefined && r.max !== undefined && r.min > r.max
        ? [error("BAD_VALUE", `The minimum (${r.min}) is above the maximum (${r.max}).`, where("max"))]
        : [];
    case "referential": {
      if (!x.reference) return [error("REFERENCE_MISSING", "Connect the rows to look values up in to the check's Reference input.", where("referenceColumn"))];
      const c = column(r.column);
      const ref = column(r.referenceColumn, "referenceColumn", x.reference);
      const issues = [c.issue, ref.issue].filter((i): i is Issue => i !== undefined);
      if (issues.length || !c.column || !ref.column) return issues;
      return family(c.column) === family(ref.column)
        ? []
        : [error("TYPE_MISMATCH", `"${c.column.name}" is ${c.column.type} but reference "${ref.column.name}" is ${ref.column.type}; retype one of them.`, where("referenceColumn"))];
    }
    case "expression": {
      const e = compileExpression(r.expression, x.input, where("expression"), { params: x.params });
      if (!e.ok) return e.issues;
      return e.value.type === "boolean" || e.value.type === "null"
        ? []
        : [error("EXPRESSION_TYPE_ERROR", `A rule's expression must be true or false for each row, not ${e.value.typeName}.`, where("expression"))];
    }
    default: {
      const never: never = r;
      throw new Error(`unknown rule ${JSON.stringify(never)}`);
    }
  }
}

/**
 * One rule as SQL over the input relation. Null values pass every rule but not_null (and are ignored by
 * unique and referential): a rule about values says nothing about missing ones, as in SQL constraints.
 * Only call on a rule checkRule accepted.
 */
export function compileRule(r: CheckRule, index: number, x: RuleInputs & { relation: string; referenceRelation: string | undefined; dialect: Dialect }): CompiledCheck {
  const d = x.dialect;
  const base = { index, rule: describeRule(r), kind: r.kind, severity: r.severity };
  const col = (name: string) => {
    const c = x.input.find((c) => c.name === name);
    if (!c) throw new Error(`check: unchecked column ${name}`);
    return c;
  };
  const failing = (where: string) => ({ ...base, failingRows: `SELECT * FROM ${x.relation} WHERE ${where}` });
  switch (r.kind) {
    case "not_null":
      return failing(r.columns.map((c) => `${quoteIdent(c)} IS NULL`).join(" OR "));
    case "unique": {
      const keys = r.columns.map(quoteIdent);
      // Rows whose key is shared with another row; rows with a null key part are not compared.
      const dupes = quoteIdent(`${ROW_ORDER_COLUMN}_dupes`);
      const complete = keys.map((k) => `${k} IS NOT NULL`).join(" AND ");
      return {
        ...base,
        failingRows: `SELECT ${d.allBut([...x.input.map((c) => quoteIdent(c.name)), quoteIdent(ROW_ORDER_COLUMN)], dupes)} FROM (SELECT *, count(*) OVER (PARTITION BY ${keys.join(", ")}) AS ${dupes} FROM ${x.relation} WHERE ${complete}) AS d WHERE ${dupes} > 1`,
      };
    }
    case "accepted_values": {
      const c = col(r.column);
      return failing(`${quoteIdent(c.name)} IS NOT NULL AND ${quoteIdent(c.name)} NOT IN (${r.values.map((v) => d.literal(v, c)).join(", ")})`);
    }
    case "range": {
      const c = col(r.column);
      const id = quoteIdent(c.name);
      // Text by code point in every dialect.
      const ordered = c.type === "string" ? d.textOrder(id) : id;
      const out = [
        ...(r.min === undefined ? [] : [`${ordered} < ${d.literal(r.min, c)}`]),
        ...(r.max === undefined ? [] : [`${ordered} > ${d.literal(r.max, c)}`]),
      ];
      return failing(`${id} IS NOT NULL AND (${out.join(" OR ")})`);
    }
    case "regex": {
      const id = quoteIdent(col(r.column).name);
      return failing(`${id} IS NOT NULL AND NOT ${d.regexMatches(id, r.pattern)}`);
    }
    case "row_count":
      return { ...base, rowCount: { min: r.min, max: r.max } };
    case "referential": {
      if (!x.referenceRelation) throw new Error("check: referential rule without a reference");
      const id = quoteIdent(col(r.column).name);
      return {
        ...base,
        failingRows: `SELECT * FROM ${x.relation} AS i WHERE i.${id} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${x.referenceRelation} AS r WHERE r.${quoteIdent(r.referenceColumn)} = i.${id})`,
      };
    }
    case "expression": {
      const e = compileExpression(r.expression, x.input, { nodeId: x.nodeId, field: "" }, { params: x.params, dialect: d });
      if (!e.ok) throw new Error("check: unchecked expression");
      // Rows where the expression is false fail; unknown (null) is not a failure, as with other rules.
      return failing(`(${e.value.sql}) = FALSE`);
    }
    default: {
      const never: never = r;
      throw new Error(`unknown rule ${JSON.stringify(never)}`);
    }
  }
}
