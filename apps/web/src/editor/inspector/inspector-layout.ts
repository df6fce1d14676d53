import { joinPath } from "./config-path.ts";
import { usesSeparator, type Aggregation } from "./aggregation.ts";
import { fieldsOf, type FieldSpec } from "./form-model.ts";
import { inlineRowPage } from "./inline-table.ts";
import { conditionPaths, formPaths } from "./problem-placement.ts";
import { usesFormats, type RetypeEntry } from "./retype-mapping.ts";

/** Node types with an editor of their own; every other type gets the form built from its config schema. */
export type EditorKind = "inline" | "filter" | "derive" | "retype" | "join" | "group" | "aggregate" | "form";

const DEDICATED = new Set<EditorKind>(["inline", "filter", "derive", "retype", "join", "group", "aggregate"]);
export const editorFor = (type: string): EditorKind => (DEDICATED.has(type as EditorKind) ? (type as EditorKind) : "form");

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** aggregate's fields for its mode: total mode has aggregations, window mode the partition, order and windows. */
export function aggregateFields(spec: FieldSpec, mode: unknown): Extract<FieldSpec, { kind: "object" }> {
  const total = mode !== "window";
  return fieldsOf(spec, (k) => k !== "mode" && k !== "aggregations" && !total);
}

function aggregationPaths(value: unknown, path = "aggregations"): string[] {
  return [
    path,
    ...list<Aggregation>(value).flatMap((a, i) => {
      const at = joinPath(path, i);
      return [at, `${at}.fn`, `${at}.column`, `${at}.as`, ...(usesSeparator(a.fn) ? [`${at}.separator`] : [])];
    }),
  ];
}

function retypePaths(value: unknown): string[] {
  return [
    "columns",
    ...list<RetypeEntry>(value).flatMap((e, i) => {
      const at = `columns.${i}`;
      const formats = usesFormats(e.to) ? [`${at}.formats`, ...(e.formats ?? []).map((_, j) => `${at}.formats.${j}`)] : [];
      return [at, `${at}.column`, `${at}.to`, ...(e.to === "decimal" ? [`${at}.precision`, `${at}.scale`] : []), ...formats];
    }),
  ];
}

/**
 * Every config path the inspector draws for this node, so each problem can be shown beside its field
 * (see placeProblems): the dedicated editors draw some fields differently from the generic form, or only
 * when they apply (a decimal's precision, string_agg's separator, aggregate's fields of the other mode).
 */
export function drawnPaths(type: string, spec: FieldSpec, config: Record<string, unknown>): string[] {
  const rest = (skip: string[]) => formPaths(fieldsOf(spec, (k) => !skip.includes(k)), config);
  const kind = editorFor(type);
  switch (kind) {
    case "inline":
      // A cell's problem is listed under its row (and marks the cell); the first page of rows is drawn.
      return [
        "columns",
        ...list(config.columns).flatMap((_, i) => [`columns.${i}`, `columns.${i}.name`]),
        "rows",
        ...list(config.rows).slice(0, inlineRowPage(list(config.columns).length)).map((_, r) => `rows.${r}`),
      ];
    case "filter":
      return [...conditionPaths(config.condition), ...rest(["condition"])];
    case "retype":
      return [...retypePaths(config.columns), ...rest(["columns"])];
    case "group":
      return [...aggregationPaths(config.aggregations), ...rest(["aggregations"])];
    case "aggregate":
      return ["mode", ...(config.mode === "window" ? formPaths(aggregateFields(spec, "window"), config) : aggregationPaths(config.aggregations))];
    case "derive":
    case "join":
    case "form":
      return formPaths(spec, config);
    default: {
      const never: never = kind;
      return never;
    }
  }
}
