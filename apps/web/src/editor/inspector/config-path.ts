/**
 * Immutable edits of a node's config at a dotted path ("keys.0.left"), the same paths validation problems
 * name. Every edit returns a new value and leaves the old one untouched, so the editor's undo history keeps
 * each version as it was.
 */
export type PathKey = string | number;

/** "keys.0.left" → ["keys", 0, "left"]; "" is the config itself. */
export const parsePath = (path: string): PathKey[] => (path === "" ? [] : path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)));

export const joinPath = (path: string, key: PathKey) => (path === "" ? String(key) : `${path}.${key}`);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function getAt(value: unknown, path: readonly PathKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof key === "number" ? !Array.isArray(at) : !isRecord(at)) return undefined;
    at = (at as Record<PathKey, unknown>)[key];
  }
  return at;
}

/** `value` with `next` at `path`, creating objects and lists on the way; `undefined` removes an object key. */
export function setAt(value: unknown, path: readonly PathKey[], next: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return next;
  if (typeof key === "number") {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[key] = setAt(list[key], rest, next);
    return list;
  }
  const obj = isRecord(value) ? { ...value } : {};
  const child = setAt(obj[key], rest, next);
  if (child === undefined) delete obj[key];
  else obj[key] = child;
  return obj;
}

export const removeItem = <T>(list: readonly T[], i: number): T[] => list.filter((_, j) => j !== i);

/** The list with item `i` moved `by` places (-1 up, 1 down); unchanged when that leaves the list. */
export function moveItem<T>(list: readonly T[], i: number, by: number): T[] {
  const to = i + by;
  if (i < 0 || i >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(i, 1);
  next.splice(to, 0, item as T);
  return next;
}

export const replaceItem = <T>(list: readonly T[], i: number, item: T): T[] => list.map((x, j) => (j === i ? item : x));
