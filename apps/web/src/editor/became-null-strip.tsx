import type { BecameNull } from "@sluice/model";

/**
 * Above the preview grid of a conversion that nulls what it cannot convert (retype, onError "null"): per column,
 * how many values became null, so a column of 424,19 that turned all-null is said, not only seen as blanks.
 */
export function BecameNullStrip({ counts, sampled }: { counts: BecameNull[]; sampled: boolean }) {
  const nulled = counts.filter((c) => c.nulled > 0);
  if (nulled.length === 0) return null;
  return (
    <ul role="status" aria-label="Values that became null" data-testid="became-null" className="space-y-0.5 border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900">
      {nulled.map((c) => (
        <li key={c.column}>
          {c.nulled.toLocaleString("en-US")} of {c.values.toLocaleString("en-US")} values of <strong>{c.column}</strong> became null: they do not convert{sampled ? " (in a sample)" : ""}.
        </li>
      ))}
    </ul>
  );
}
