import { error, type ColumnType, type Issue, type ParameterType, type ParameterValue, type PipelineParameter } from "@sluice/model";
import { valueProblem } from "../catalog/values.ts";

/** A parameter's type as expressions see it: whole numbers are 64-bit, like every whole number in expressions. */
export const PARAMETER_COLUMN_TYPE: Record<ParameterType, ColumnType> = {
  string: "string",
  integer: "bigint",
  double: "double",
  boolean: "boolean",
  date: "date",
  timestamp: "timestamp",
};

export interface ResolvedParameter {
  type: ColumnType;
  /**
   * Normalized: numbers as numbers, booleans as booleans, dates and timestamps as ISO text; a default that does not
   * fit its type is kept as written, with a PARAMETER_BAD_DEFAULT error that stops previews and runs.
   */
  value: ParameterValue;
}

/** The value of every declared parameter for one run or preview, by name. */
export type ResolvedParameters = ReadonlyMap<string, ResolvedParameter>;

/**
 * A supplied value in the parameter's type, or why it does not fit. Text is accepted for every type
 * ("42", "true", "2024-01-31"), since values typed on a command line or into a form arrive as text.
 */
export function coerceParameter(type: ParameterType, value: ParameterValue): { value: ParameterValue } | { problem: string } {
  const columnType = PARAMETER_COLUMN_TYPE[type];
  if (type === "string") return { value: String(value) };
  if (type === "boolean" && typeof value !== "boolean" && typeof value !== "string") return { problem: "is not true or false" };
  if ((type === "date" || type === "timestamp") && typeof value !== "string") return { problem: `is not a ${type} written as text (${type === "date" ? "YYYY-MM-DD" : "YYYY-MM-DD HH:MM:SS"})` };
  const problem = valueProblem(typeof value === "string" ? value.trim() : value, { type: columnType });
  if (problem) return { problem };
  switch (type) {
    case "integer": {
      const n = Number(String(value).trim());
      return Number.isSafeInteger(n) ? { value: n } : { problem: "is too large; use a whole number between ±9007199254740991" };
    }
    case "double":
      return { value: Number(String(value).trim()) };
    case "boolean":
      return { value: typeof value === "boolean" ? value : String(value).trim().toLowerCase() === "true" };
    default:
      return { value: String(value).trim() };
  }
}

/**
 * The values a run uses: each declared parameter's default, replaced by a supplied value where there is one.
 * Bad declarations are reported at `parameters.<i>`; bad supplied values at `params.<name>`, so an API
 * caller learns which value to fix.
 */
export function resolveParameters(
  declared: readonly PipelineParameter[] | undefined,
  supplied: Readonly<Record<string, ParameterValue>> = {},
): { values: Map<string, ResolvedParameter>; issues: Issue[] } {
  const values = new Map<string, ResolvedParameter>();
  const issues: Issue[] = [];
  (declared ?? []).forEach((p, i) => {
    if (values.has(p.name)) {
      issues.push(error("PARAMETER_DUPLICATE", `Parameter "${p.name}" is declared twice; give each parameter its own name.`, { field: `parameters.${i}.name` }));
      return;
    }
    const d = coerceParameter(p.type, p.default);
    if ("problem" in d) {
      issues.push(error("PARAMETER_BAD_DEFAULT", `The default of parameter "${p.name}", ${JSON.stringify(p.default)}, ${d.problem}.`, { field: `parameters.${i}.default` }));
      // Still declared, with its type: left out, every param() reading it said "there is no parameter" (and
      // suggested another name or declaring it), sending people to fix the wrong thing. The error above keeps the
      // pipeline from previewing or running, so this value, as written, never reaches SQL.
      values.set(p.name, { type: PARAMETER_COLUMN_TYPE[p.type], value: p.default });
      return;
    }
    values.set(p.name, { type: PARAMETER_COLUMN_TYPE[p.type], value: d.value });
  });
  for (const [name, value] of Object.entries(supplied)) {
    const p = declared?.find((x) => x.name === name);
    if (!p) {
      const known = (declared ?? []).map((x) => `"${x.name}"`).join(", ");
      issues.push(error("PARAMETER_UNKNOWN", `The pipeline has no parameter "${name}"${known ? `; it has ${known}` : ""}.`, { field: `params.${name}` }));
      continue;
    }
    const v = coerceParameter(p.type, value);
    if ("problem" in v) {
      issues.push(error("PARAMETER_INVALID", `Parameter "${name}": ${JSON.stringify(value)} ${v.problem}.`, { field: `params.${name}` }));
      continue;
    }
    values.set(name, { type: PARAMETER_COLUMN_TYPE[p.type], value: v.value });
  }
  return { values, issues };
}

/** The values as a plain record, as a run stores them. */
export const parameterRecord = (values: ResolvedParameters): Record<string, ParameterValue> =>
  Object.fromEntries([...values].map(([name, p]) => [name, p.value]));
