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

/** A new pair: the first common column not paired yet, else empty pickers. */
export function newPair(left: readonly Column[], right: readonly Column[], keys: readonly KeyPair[]): KeyPair {
  const name = commonUnpaired(left, right, keys)[0];
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
