import type { Column } from "@sluice/model";

export interface KeyPair {
  left: string;
  right: string;
}

/** Columns both inputs have (by exact name) that are not paired yet: the usual keys, offered in one click. */
export function commonUnpaired(left: readonly Column[], right: readonly Column[], keys: readonly KeyPair[]): string[] {
  const rightNames = new Set(right.map((c) => c.name));
  return left.map((c) => c.name).filter((n) => rightNames.has(n) && !keys.some((k) => k.left === n && k.right === n));
}

/** id, customer_id, CUSTOMER_ID, customerId; not paid or valid. */
const isIdName = (n: string) => /^id$|_id$/i.test(n) || /[a-z0-9]Id$/.test(n);

/**
 * The key a join most likely wants, offered as "Join on customer_id": among the columns both inputs have (same name,
 * same type, not paired yet), the one identifier (id, *_id, *Id); else the only common column. Null when it is a
 * guess between several (two ids, or several plain columns such as name and created_at), which the user picks.
 */
export function suggestedJoinKey(left: readonly Column[], right: readonly Column[], keys: readonly KeyPair[]): string | null {
  const common = commonUnpaired(left, right, keys).filter((n) => {
    const l = left.find((c) => c.name === n);
    const r = right.find((c) => c.name === n);
    return l !== undefined && r !== undefined && l.type === r.type;
  });
  const ids = common.filter(isIdName);
  if (ids.length === 1) return ids[0]!;
  return ids.length === 0 && common.length === 1 ? common[0]! : null;
}

/** A new pair: the suggested key, else the first common column not paired yet, else empty pickers. */
export function newPair(left: readonly Column[], right: readonly Column[], keys: readonly KeyPair[]): KeyPair {
  const name = suggestedJoinKey(left, right, keys) ?? commonUnpaired(left, right, keys)[0];
  return name === undefined ? { left: "", right: "" } : { left: name, right: name };
}

/** What each join kind keeps, in words, for the kind picker. */
export const JOIN_KIND_HELP: Record<string, string> = {
  inner: "rows with a match on both sides",
  left: "every left row, with right columns where there is a match",
  right: "every right row, with left columns where there is a match",
  full: "every row of both sides, matched where possible",
  semi: "left rows that have a match (left columns only)",
  anti: "left rows without a match (left columns only)",
};
