import type { ClipboardEvent } from "react";
import { showValue } from "../lib/format-value.ts";

/**
 * One value of a result, as the preview grid and the run page's tables show it: nulls marked (never an empty
 * cell that could be an empty string), numbers as spreadsheets show them, with the full value on hover and
 * copied when the cell's text is what is selected.
 */
export function CellValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="rounded bg-slate-100 px-1 text-slate-600 italic">null</span>;
  const { text, full } = showValue(value);
  if (full === undefined) return <>{text}</>;
  const copyFull = (e: ClipboardEvent) => {
    // Only when exactly this value is selected: a selection across cells copies what it shows.
    if (window.getSelection()?.toString().trim() !== text) return;
    e.clipboardData.setData("text/plain", full);
    e.preventDefault();
  };
  return (
    <span title={full} data-full-value={full} onCopy={copyFull}>
      {text}
    </span>
  );
}
