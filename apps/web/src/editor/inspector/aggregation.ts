/** One aggregation of group and aggregate (total mode): a function over a column, named in the output. */
export interface Aggregation {
  column?: string;
  fn: string;
  as?: string;
  separator?: string;
}

/** The output column's name when none is given, as the group node names it. */
export const defaultOutputName = (a: Aggregation) => (a.column === undefined ? a.fn : `${a.column}_${a.fn}`);

/** Only count works without a column (it counts rows); string_agg alone uses a separator. */
export const columnOptional = (fn: string) => fn === "count";
export const usesSeparator = (fn: string) => fn === "string_agg";

/** The aggregation with one part changed; a part set to "" or undefined is left out (meaning its default). */
export function withPart(a: Aggregation, key: "column" | "fn" | "as" | "separator", value: string | undefined): Aggregation {
  const next: Aggregation = { ...a };
  if (key === "fn") next.fn = value ?? a.fn;
  else if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next;
}
