import { DialectUnsupported } from "./dialect.ts";

/** strftime specifiers with a PostgreSQL to_char/to_timestamp counterpart, and the text each one reads. */
const SPECIFIERS: Record<string, { pg: string; reads: string }> = {
  Y: { pg: "YYYY", reads: "[0-9]{4}" },
  y: { pg: "YY", reads: "[0-9]{2}" },
  m: { pg: "MM", reads: "[0-9]{1,2}" },
  "-m": { pg: "FMMM", reads: "[0-9]{1,2}" },
  d: { pg: "DD", reads: "[0-9]{1,2}" },
  "-d": { pg: "FMDD", reads: "[0-9]{1,2}" },
  H: { pg: "HH24", reads: "[0-9]{1,2}" },
  "-H": { pg: "FMHH24", reads: "[0-9]{1,2}" },
  I: { pg: "HH12", reads: "[0-9]{1,2}" },
  M: { pg: "MI", reads: "[0-9]{1,2}" },
  S: { pg: "SS", reads: "[0-9]{1,2}" },
  f: { pg: "US", reads: "[0-9]{1,6}" },
  j: { pg: "DDD", reads: "[0-9]{1,3}" },
  p: { pg: "AM", reads: "[AaPp][Mm]" },
  b: { pg: "Mon", reads: "[A-Za-z]{3}" },
  B: { pg: "FMMonth", reads: "[A-Za-z]+" },
  a: { pg: "Dy", reads: "[A-Za-z]{3}" },
  A: { pg: "FMDay", reads: "[A-Za-z]+" },
};

type Piece = { spec: string } | { text: string };

function pieces(format: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < format.length; ) {
    if (format[i] !== "%") {
      out.push({ text: format[i]! });
      i += 1;
      continue;
    }
    const dash = format[i + 1] === "-";
    const key = dash ? `-${format[i + 2] ?? ""}` : (format[i + 1] ?? "");
    if (key === "%") out.push({ text: "%" });
    else if (!SPECIFIERS[key]) throw new DialectUnsupported("postgres", `the format specifier %${key} has no PostgreSQL counterpart`);
    else out.push({ spec: key });
    i += dash ? 3 : 2;
  }
  return out;
}

/** A strftime format as a PostgreSQL to_char / to_timestamp template; literal text is quoted. */
export function formatToPostgres(format: string): string {
  return pieces(format)
    .map((p) => ("spec" in p ? SPECIFIERS[p.spec]!.pg : `"${p.text === '"' ? '\\"' : p.text === "\\" ? "\\\\" : p.text}"`))
    .join("");
}

/** A regular expression the whole text must match to be read with `format` (to_timestamp itself is lenient). */
export function formatPattern(format: string): string {
  const body = pieces(format)
    .map((p) => ("spec" in p ? SPECIFIERS[p.spec]!.reads : p.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return `^${body}$`;
}

/** What a year, month or day reads when it cannot be out of range for any month: the days 1 to 28. */
const SAFE_READS: Record<string, string> = { Y: "[0-9]{4}", m: "(0?[1-9]|1[0-2])", "-m": "(0?[1-9]|1[0-2])", d: "(0?[1-9]|1[0-9]|2[0-8])", "-d": "(0?[1-9]|1[0-9]|2[0-8])" };

/**
 * For a format of only %Y, %m and %d (with or without -) and literal text: a regular expression that admits only
 * text to_timestamp reads without an error (months 1 to 12, days 1 to 28), so it can be read without the
 * exception-catching helper; other formats give undefined.
 */
export function safeDatePattern(format: string): string | undefined {
  const ps = pieces(format);
  if (ps.some((p) => "spec" in p && !SAFE_READS[p.spec])) return undefined;
  return `^${ps.map((p) => ("spec" in p ? SAFE_READS[p.spec]! : p.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`;
}
