import { formatCount } from "./format-duration.ts";

/** A page of a list for people: "1–50 of 1,234" (numbers as formatCount says them), "none of 1,234" past the end. */
export function pageRange(offset: number, shown: number, total: number): string {
  if (shown === 0) return total === 0 ? "none" : `none of ${formatCount(total)} on this page`;
  return `${formatCount(offset + 1)}–${formatCount(offset + shown)} of ${formatCount(total)}`;
}

/** An offset read from the URL: a whole number from 0, whatever was typed ("1.5", "-3", "abc" read as 1, 0, 0). */
export function offsetParam(value: string | null): number {
  const n = Math.floor(Number(value ?? 0));
  return Number.isFinite(n) && n > 0 ? Math.min(n, 2_147_483_647) : 0;
}
