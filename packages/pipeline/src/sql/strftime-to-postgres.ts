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
  "-I": { pg: "FMHH12", reads: "[0-9]{1,2}" },
  M: { pg: "MI", reads: "[0-9]{1,2}" },
  "-M": { pg: "FMMI", reads: "[0-9]{1,2}" },
  S: { pg: "SS", reads: "[0-9]{1,2}" },
  "-S": { pg: "FMSS", reads: "[0-9]{1,2}" },
  f: { pg: "US", reads: "[0-9]{1,6}" },
  j: { pg: "DDD", reads: "[0-9]{1,3}" },
  "-j": { pg: "FMDDD", reads: "[0-9]{1,3}" },
  "-y": { pg: "FMYY", reads: "[0-9]{1,2}" },
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

/** The characters DuckDB's strptime counts as spaces. */
const SPACE = "[ \\t\\n\\v\\f\\r]";
const isSpace = (p: Piece) => "text" in p && /^[ \t\n\v\f\r]$/.test(p.text);

/** Runs of spaces in a format made one space piece: strptime matches a run with a run (see formatPattern). */
function collapsedSpaces(ps: Piece[]): Piece[] {
  return ps.filter((p, i) => !(isSpace(p) && i > 0 && isSpace(ps[i - 1]!))).map((p) => (isSpace(p) ? { text: " " } : p));
}

/** A strftime format as a PostgreSQL to_char / to_timestamp template; literal text is quoted. */
export function formatToPostgres(format: string, { parsing = false } = {}): string {
  return (parsing ? collapsedSpaces(pieces(format)) : pieces(format))
    .map((p) => ("spec" in p ? SPECIFIERS[p.spec]!.pg : `"${p.text === '"' ? '\\"' : p.text === "\\" ? "\\\\" : p.text}"`))
    .join("");
}

/** How many digits DuckDB's strptime reads at most for a number specifier (it reads one at least). */
const WIDTH: Record<string, number> = { Y: 4, y: 2, "-y": 2, m: 2, "-m": 2, d: 2, "-d": 2, H: 2, "-H": 2, I: 2, "-I": 2, M: 2, "-M": 2, S: 2, "-S": 2, f: 6, j: 3, "-j": 3 };

/**
 * What a number specifier reads as strptime reads it: as many digits as there are up to its width, never giving any
 * back (a regular expression would, and so accept '2024-02-29' for %Y-%m-%d%H as d 2 and H 9). A day of the year is
 * not 0.
 */
function numberReads(spec: string): string | undefined {
  const w = WIDTH[spec];
  if (w === undefined) return undefined;
  const reads = `(?:[0-9]{${w}}|[0-9]{1,${w - 1}}(?![0-9]))`;
  return spec === "j" || spec === "-j" ? `(?!0{1,3}(?![0-9]))${reads}` : reads;
}

/**
 * A regular expression the whole text must match to be read with `format` as DuckDB's strptime reads it
 * (to_timestamp itself is lenient): spaces (ASCII whitespace) before and after the text are skipped, a run of spaces
 * in the format matches a run of one or more in the text, and numbers are read as numberReads says.
 */
export function formatPattern(format: string): string {
  const body = collapsedSpaces(pieces(format))
    .map((p) => ("spec" in p ? (numberReads(p.spec) ?? SPECIFIERS[p.spec]!.reads) : isSpace(p) ? `${SPACE}+` : p.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  // The text's leading spaces are all skipped, so a format that starts with a space never matches (as in DuckDB).
  return `^${SPACE}*(?!${SPACE})${body}${SPACE}*$`;
}

/**
 * What a year, month or day reads when it cannot be out of range for any month (the days 1 to 28), reading digits as
 * numberReads does: one digit only when no digit follows.
 */
const SAFE_READS: Record<string, string> = {
  Y: "[0-9]{4}",
  m: "(?:0[1-9]|1[0-2]|[1-9](?![0-9]))",
  "-m": "(?:0[1-9]|1[0-2]|[1-9](?![0-9]))",
  d: "(?:0[1-9]|1[0-9]|2[0-8]|[1-9](?![0-9]))",
  "-d": "(?:0[1-9]|1[0-9]|2[0-8]|[1-9](?![0-9]))",
};

/**
 * For a format of only %Y, %m and %d (with or without -) and literal text: a regular expression that admits only
 * text to_timestamp reads without an error (months 1 to 12, days 1 to 28), so it can be read without the
 * exception-catching helper; other formats give undefined.
 */
export function safeDatePattern(format: string): string | undefined {
  const ps = collapsedSpaces(pieces(format));
  if (ps.some((p) => "spec" in p && !SAFE_READS[p.spec])) return undefined;
  const body = ps.map((p) => ("spec" in p ? SAFE_READS[p.spec]! : isSpace(p) ? `${SPACE}+` : p.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return `^${SPACE}*(?!${SPACE})${body}${SPACE}*$`;
}
