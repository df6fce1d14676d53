/**
 * How a value of a result is shown in a cell. SQL double arithmetic leaves binary noise in the last digits
 * (a sum of cents can be 11147.309999999998), and JavaScript's String() faithfully prints it. Spreadsheets
 * show doubles to at most 15 significant digits, which hides that noise and loses nothing a double can
 * promise; so do we. The full value stays available (`full`), for a tooltip and for copying.
 */
export interface ShownValue {
  text: string;
  /** The exact value as text when `text` rounds it. */
  full?: string;
}

const SIGNIFICANT = 15;

/** A number as spreadsheets show it: integers whole, other numbers rounded to 15 significant digits. */
export function formatNumber(n: number): string {
  // JSON numbers that are integers are exact (the server sends bigger ones as text): never round them.
  if (!Number.isFinite(n) || Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(SIGNIFICANT)));
}

/** The text of a cell: numbers as formatNumber, objects (JSON) as JSON, the rest as text. Null is the caller's. */
export function showValue(v: unknown): ShownValue {
  if (typeof v === "number") {
    const text = formatNumber(v);
    const full = String(v);
    return text === full ? { text } : { text, full };
  }
  return { text: typeof v === "object" ? JSON.stringify(v) : String(v) };
}
