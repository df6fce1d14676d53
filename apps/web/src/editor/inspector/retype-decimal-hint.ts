/**
 * Whether the text a retype node converts to numbers is written with a decimal comma (424,19; 1.234,56), read
 * from sampled values, so the inspector can offer the setting that converts them instead of nulling them.
 * Only unambiguous values count: "1,234" could be 1234 with a thousands comma, so it is neither.
 */
const COMMA_DECIMAL = /^[+-]?(\d{1,3}(\.\d{3})+,\d+|\d+,(\d{1,2}|\d{4,}))$/;
const POINT_DECIMAL = /^[+-]?(\d{1,3}(,\d{3})+\.\d+|\d+\.(\d{1,2}|\d{4,}))$/;

export interface DecimalCommaHint {
  /** Up to three of the values that read as decimal commas. */
  examples: string[];
  /** The settings that convert them: a decimal comma, and a thousands separator that is not the comma. */
  settings: { decimalSeparator: ","; thousandsSeparator: string | null };
}

interface RetypeSettings {
  columns?: { column: string; to: string }[];
  decimalSeparator?: string;
  thousandsSeparator?: string | null;
}

/** A hint when, in the sampled rows, values of columns converted to double or decimal read as decimal commas more often than as points. */
export function decimalCommaHint(config: RetypeSettings, rows: readonly Record<string, unknown>[]): DecimalCommaHint | null {
  if ((config.decimalSeparator ?? ".") === ",") return null;
  const numeric = (config.columns ?? []).filter((c) => c.to === "double" || c.to === "decimal").map((c) => c.column);
  const values = rows.flatMap((r) => numeric.map((c) => r[c])).flatMap((v) => (typeof v === "string" ? [v.trim()] : []));
  const comma = values.filter((v) => COMMA_DECIMAL.test(v));
  const point = values.filter((v) => POINT_DECIMAL.test(v)).length;
  if (comma.length === 0 || comma.length <= point) return null;
  const thousands = config.thousandsSeparator === undefined || config.thousandsSeparator === "," ? "." : config.thousandsSeparator;
  return { examples: [...new Set(comma)].slice(0, 3), settings: { decimalSeparator: ",", thousandsSeparator: thousands } };
}
