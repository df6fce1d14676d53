import { error, type Column, type Issue } from "@sluice/model";
import { ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { findColumn, isNumeric } from "../../catalog/columns.ts";
import { clashingNames, isReservedName, nameKey, sameName } from "../../catalog/column-names.ts";
import { widen } from "../../catalog/type-widening.ts";
import { quoteIdent } from "../../sql/quote.ts";
import type { Dialect } from "../../sql/dialect.ts";

export type JoinKind = "inner" | "left" | "right" | "full" | "semi" | "anti";

export interface JoinConfig {
  kind: JoinKind;
  keys: { left: string; right: string }[];
  rightSuffix: string;
}

export interface JoinPlan {
  issues: Issue[];
  /** Output columns with the SQL (over aliases l and r) that produces each, and the input columns it takes its value from. */
  out: { column: Column; sql(d: Dialect): string; from: { port: "left" | "right"; column: string }[] }[];
  /** The key pairs that could be matched. */
  pairs: { l: Column; r: Column }[];
  /** The ON condition over aliases l and r. */
  condition: string;
}

const family = (c: Column) => (isNumeric(c) ? "number" : c.type === "date" || c.type === "timestamp" ? "date" : c.type);

/** Why two key columns cannot be matched, or undefined when they can. */
function keyMismatch(l: Column, r: Column): string | undefined {
  if (l.type === "json" || r.type === "json") return "JSON columns cannot be join keys";
  if (family(l) === family(r)) return undefined;
  return "keys must both be numbers, both text, both dates/timestamps or both true/false; convert one with a retype node first";
}

const ref = (alias: "l" | "r", name: string) => `${alias}.${quoteIdent(name)}`;

/**
 * Output columns of a join. Left columns come first in their order, then right columns in theirs. A key pair
 * whose two columns have the same name gives one column (the left one's place); other right columns whose
 * name is taken get the suffix. Semi and anti joins output the left columns only.
 */
export function planJoin(left: Column[], right: Column[], config: JoinConfig, nodeId: string): JoinPlan {
  const issues: Issue[] = [];
  const at = (field: string) => ({ nodeId, field });
  if (config.keys.length === 0) issues.push(error("JOIN_NO_KEYS", "Choose at least one pair of key columns to match rows on.", at("keys")));
  const pairs: { l: Column; r: Column }[] = [];
  config.keys.forEach((k, i) => {
    const l = findColumn(left, k.left, at(`keys.${i}.left`));
    const r = findColumn(right, k.right, at(`keys.${i}.right`));
    if (l.issue) issues.push({ ...l.issue, port: "left" });
    if (r.issue) issues.push({ ...r.issue, port: "right" });
    if (!l.column || !r.column) return;
    const mismatch = keyMismatch(l.column, r.column);
    if (mismatch) {
      issues.push(error("TYPE_MISMATCH", `Key "${l.column.name}" (${l.column.type}) cannot be matched with "${r.column.name}" (${r.column.type}): ${mismatch}.`, at(`keys.${i}`)));
    } else pairs.push({ l: l.column, r: r.column });
  });
  const condition = pairs.map((p) => `${ref("l", p.l.name)} = ${ref("r", p.r.name)}`).join(" AND ") || "FALSE";

  if (config.kind === "semi" || config.kind === "anti") {
    return { issues, out: left.map((c) => ({ column: c, sql: () => ref("l", c.name), from: [{ port: "left", column: c.name }] })), condition, pairs };
  }

  // Same-named key pairs merge into one column: the left value, or the right one on rows only the right side
  // has (right and full joins). Matched keys are equal, so this is the key value in every kind of join.
  const merged = new Map<string, Column>();
  for (const p of pairs) if (sameName(p.l.name, p.r.name) && !merged.has(p.l.name)) merged.set(p.l.name, p.r);
  const out: JoinPlan["out"] = left.map((c) => {
    const other = merged.get(c.name);
    if (!other) return { column: c, sql: () => ref("l", c.name), from: [{ port: "left", column: c.name }] };
    const column: Column = { name: c.name, ...widen(c, other) };
    return {
      column,
      sql: (d) => `CAST(coalesce(${ref("l", c.name)}, ${ref("r", other.name)}) AS ${d.type(column)})`,
      from: [
        { port: "left", column: c.name },
        { port: "right", column: other.name },
      ],
    };
  });
  const mergedRight = new Set([...merged.values()].map((c) => c.name));
  const taken = new Set(out.map((o) => nameKey(o.column.name)));
  for (const c of right) {
    if (mergedRight.has(c.name)) continue;
    const name = taken.has(nameKey(c.name)) ? `${c.name}${config.rightSuffix}` : c.name;
    out.push({ column: { ...c, name }, sql: () => ref("r", c.name), from: [{ port: "right", column: c.name }] });
  }
  for (const name of clashingNames(out.map((o) => o.column.name))) {
    issues.push(error("DUPLICATE_COLUMN", `Output column "${name}" would appear twice even after adding the suffix "${config.rightSuffix}"; choose another suffix.`, at("rightSuffix")));
  }
  for (const o of out) {
    if (isReservedName(o.column.name)) issues.push(error("RESERVED_COLUMN_NAME", `"${ROW_ORDER_COLUMN}" is reserved by Sluice; choose another suffix.`, at("rightSuffix")));
  }
  return { issues, out, condition, pairs };
}
