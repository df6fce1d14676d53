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

/**
 * The entries whose name an earlier entry already has (ignoring ASCII case), each with the earlier spelling, so an
 * issue can point at the entry that makes the clash rather than at the whole list.
 */
export function repeatedNames<T extends { name: string }>(entries: readonly T[]): { entry: T; first: string }[] {
  const seen = new Map<string, string>();
  const repeated: { entry: T; first: string }[] = [];
  for (const entry of entries) {
    const key = nameKey(entry.name);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, entry.name);
    else repeated.push({ entry, first });
  }
  return repeated;
}

/** How an issue names a clash: `"a"`, or `"A" and "a" (names ignore case)`. */
export const clashWording = (name: string, first: string): string => (name === first ? `"${name}"` : `"${name}" and "${first}" (names ignore case)`);

/** True for the hidden row-order column's name, which no node may create. */
export const isReservedName = (name: string): boolean => sameName(name, ROW_ORDER_COLUMN);
