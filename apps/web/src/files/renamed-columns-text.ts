import type { RenamedColumn } from "@sluice/model";

/** One rename in words, e.g. `column 3 "amount" repeats an earlier header: named amount_1`. */
export function renameText(r: RenamedColumn): string {
  return r.reason === "blank"
    ? `column ${r.position} has no header: named ${r.name}`
    : `column ${r.position} "${r.original}" repeats an earlier header: named ${r.name}`;
}

/**
 * What a user should know when a file's columns are not named as its headers read, or null when they are:
 * otherwise a user looking for "amount" finds "amount_1" and cannot tell why.
 */
export function renamedColumnsNote(renamed: readonly RenamedColumn[]): string | null {
  if (renamed.length === 0) return null;
  const what = renamed.length === 1 ? "1 header could not be used as a column name" : `${renamed.length} headers could not be used as column names`;
  return `${what}: ${renamed.map(renameText).join("; ")}.`;
}
