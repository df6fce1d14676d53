import type { Column } from "@sluice/model";
import type { RetypeEntry } from "./retype-mapping.ts";

/**
 * "Suggest types from the data": for the text columns coming into a retype node that no entry converts yet, the
 * type every sampled value converts to, read with the node's own separators and boolean words, so the suggestion
 * never nulls a value the preview has. A column is suggested only when every non-null value parses; one with a
 * leading zero ("007", a code) is never made a number, and slash dates only when one reading (day or month first)
 * covers them all.
 */
export interface RetypeSettings {
  columns?: { column: string }[];
  thousandsSeparator?: string | null;
  decimalSeparator?: string;
  booleanWords?: { true: string[]; false: string[] };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const DEFAULT_WORDS = { true: ["true", "yes", "1", "t", "y"], false: ["false", "no", "0", "f", "n"] };
/** decimal(18, scale) holds every value when its whole digits fit in 18 - scale; otherwise double. */
const PRECISION = 18;
const INT32 = 2_147_483_647;

/** Numbers as retype's SQL reads them (retype-conversion.ts): optional sign, grouped or plain digits, one decimal mark. */
function numberReaders(settings: RetypeSettings) {
  const sep = settings.thousandsSeparator === undefined ? "," : settings.thousandsSeparator;
  const point = escapeRegex(settings.decimalSeparator ?? ".");
  const digits = sep ? `([0-9]{1,3}(?:${escapeRegex(sep)}[0-9]{3})+|[0-9]+)` : "([0-9]+)";
  return {
    whole: new RegExp(`^[+-]?${digits}$`),
    // No exponent and a digit before the mark: those read as decimals too, but the suggestion keeps to plain ones.
    fraction: new RegExp(`^[+-]?${digits}(?:${point}([0-9]+))?$`),
    ungroup: (v: string) => (sep ? v.split(sep).join("") : v).replace(/^[+-]/, ""),
  };
}

const LEADING_ZERO = /^[+-]?0[0-9]/;

function numberEntry(values: string[], settings: RetypeSettings): RetypeEntry | null {
  if (values.some((v) => LEADING_ZERO.test(v))) return null;
  const r = numberReaders(settings);
  if (values.every((v) => r.whole.test(v))) {
    const big = values.some((v) => Number(r.ungroup(v)) > INT32);
    return { column: "", to: big ? "bigint" : "integer", formats: [] };
  }
  let scale = 0;
  let wholeDigits = 1;
  for (const v of values) {
    const m = r.fraction.exec(v);
    if (!m) return null;
    scale = Math.max(scale, m[2]?.length ?? 0);
    wholeDigits = Math.max(wholeDigits, r.ungroup(m[1]!).replace(/^0+(?=\d)/, "").length);
  }
  if (scale + wholeDigits > PRECISION) return { column: "", to: "double", formats: [] };
  return { column: "", to: "decimal", precision: PRECISION, scale, formats: [] };
}

/** Date shapes with the strptime formats that could read them; zero-padded only, as the formats are tried exactly. */
const DATE_SHAPES: { shape: RegExp; readings: { format: string; order: "ymd" | "dmy" | "mdy" }[] }[] = [
  { shape: /^(\d{4})-(\d{2})-(\d{2})$/, readings: [{ format: "%Y-%m-%d", order: "ymd" }] },
  { shape: /^(\d{4})\/(\d{2})\/(\d{2})$/, readings: [{ format: "%Y/%m/%d", order: "ymd" }] },
  { shape: /^(\d{2})\/(\d{2})\/(\d{4})$/, readings: [{ format: "%d/%m/%Y", order: "dmy" }, { format: "%m/%d/%Y", order: "mdy" }] },
  { shape: /^(\d{2})\.(\d{2})\.(\d{4})$/, readings: [{ format: "%d.%m.%Y", order: "dmy" }] },
  { shape: /^(\d{2})-(\d{2})-(\d{4})$/, readings: [{ format: "%d-%m-%Y", order: "dmy" }, { format: "%m-%d-%Y", order: "mdy" }] },
];

function isDate(parts: [string, string, string], order: "ymd" | "dmy" | "mdy"): boolean {
  const [a, b, c] = parts.map(Number) as [number, number, number];
  const [y, m, d] = order === "ymd" ? [a, b, c] : order === "dmy" ? [c, b, a] : [c, a, b];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The formats that read every value as a date, ISO first; null when a value fits none or a shape reads two ways. */
function dateFormats(values: string[]): string[] | null {
  const chosen: string[] = [];
  const left = new Set(values);
  for (const { shape, readings } of DATE_SHAPES) {
    const mine = [...left].flatMap((v) => {
      const m = shape.exec(v);
      return m ? [{ v, parts: [m[1]!, m[2]!, m[3]!] as [string, string, string] }] : [];
    });
    if (mine.length === 0) continue;
    const fitting = readings.filter((r) => mine.every((x) => isDate(x.parts, r.order)));
    if (fitting.length !== 1) return null;
    chosen.push(fitting[0]!.format);
    for (const x of mine) left.delete(x.v);
  }
  return left.size === 0 ? chosen : null;
}

function booleanEntry(values: string[], settings: RetypeSettings): RetypeEntry | null {
  const words = settings.booleanWords ?? DEFAULT_WORDS;
  const t = new Set(words.true.map((w) => w.trim().toLowerCase()));
  const f = new Set(words.false.map((w) => w.trim().toLowerCase()));
  const lower = values.map((v) => v.toLowerCase());
  return lower.every((v) => t.has(v) || f.has(v)) ? { column: "", to: "boolean", formats: [] } : null;
}

/** The conversion every value takes, or null: numbers first (1 and 0 stay numbers), then dates, then true/false words. */
function suggestFor(values: string[], settings: RetypeSettings): RetypeEntry | null {
  const number = numberEntry(values, settings);
  if (number) return number;
  const formats = dateFormats(values);
  return formats ? { column: "", to: "date", formats } : booleanEntry(values, settings);
}

/**
 * New retype entries for the input's text columns not converted yet, in the input's column order, from the
 * sampled rows. Values are trimmed, as retype trims them; an empty one does not convert, so it rules its column
 * out, as does any value that is not text. A column with no non-null value is left alone.
 */
export function suggestRetypes(config: RetypeSettings, columns: readonly Column[], rows: readonly Record<string, unknown>[]): RetypeEntry[] {
  const taken = new Set((config.columns ?? []).map((c) => c.column));
  return columns.flatMap((col) => {
    if (col.type !== "string" || taken.has(col.name)) return [];
    const raw = rows.map((r) => r[col.name]).filter((v) => v !== null && v !== undefined);
    if (raw.length === 0 || raw.some((v) => typeof v !== "string")) return [];
    const entry = suggestFor((raw as string[]).map((v) => v.trim()), config);
    return entry ? [{ ...entry, column: col.name }] : [];
  });
}
