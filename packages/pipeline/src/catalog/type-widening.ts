import type { Column } from "@sluice/model";

const NUMERIC_RANK: Record<string, number> = { integer: 1, bigint: 2, decimal: 3, double: 4 };

/**
 * The narrowest type that holds values of both columns, used where columns of different inputs meet
 * (union, unpivot). Numbers widen integer → bigint → decimal → double; date and timestamp meet at
 * timestamp; anything else mixed becomes string.
 */
export function widen(a: Pick<Column, "type" | "precision" | "scale">, b: Pick<Column, "type" | "precision" | "scale">): Pick<Column, "type" | "precision" | "scale"> {
  if (a.type === b.type) {
    if (a.type !== "decimal") return { type: a.type };
    const scale = Math.max(a.scale ?? 3, b.scale ?? 3);
    const integerDigits = Math.max((a.precision ?? 18) - (a.scale ?? 3), (b.precision ?? 18) - (b.scale ?? 3));
    return { type: "decimal", precision: Math.min(38, integerDigits + scale), scale };
  }
  const ra = NUMERIC_RANK[a.type];
  const rb = NUMERIC_RANK[b.type];
  if (ra !== undefined && rb !== undefined) {
    const wider = ra > rb ? a : b;
    if (wider.type === "decimal") {
      // bigint needs 19 integer digits next to the decimal's scale.
      const scale = wider.scale ?? 3;
      return { type: "decimal", precision: Math.min(38, Math.max(wider.precision ?? 18, 19 + scale)), scale };
    }
    return { type: wider.type };
  }
  const pair = new Set([a.type, b.type]);
  if (pair.has("date") && pair.has("timestamp")) return { type: "timestamp" };
  return { type: "string" };
}
