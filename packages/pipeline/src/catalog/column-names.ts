import { ROW_ORDER_COLUMN } from "./node-definition.ts";

/**
 * DuckDB binds identifiers ignoring ASCII case, even quoted ones: in a relation with columns "a" and "A",
 * `SELECT "A"` reads "a". Names that nodes create are therefore compared with this key.
 */
export const nameKey = (name: string): string => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

export const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);

/** Names that occur more than once ignoring ASCII case, each reported once as first spelled. */
export function clashingNames(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const clashes = new Map<string, string>();
  for (const name of names) {
    const key = nameKey(name);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, name);
    else if (!clashes.has(key)) clashes.set(key, first);
  }
  return [...clashes.values()];
}

/** True for the hidden row-order column's name, which no node may create. */
export const isReservedName = (name: string): boolean => sameName(name, ROW_ORDER_COLUMN);
