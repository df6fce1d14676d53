/** What went wrong in a DuckDB statement, in words for the person who built the pipeline. */
export type DuckErrorCode =
  | "QUERY_INTERRUPTED"
  | "OUT_OF_MEMORY"
  | "DISK_FULL"
  | "ACCESS_DENIED"
  | "CONVERSION_FAILED"
  | "VALUE_OUT_OF_RANGE"
  | "CONSTRAINT_VIOLATED"
  | "INVALID_INPUT"
  | "QUERY_FAILED";

/**
 * The only error the engine's DuckDB wrapper throws. DuckDB's own errors never leave the session: their
 * class and message are turned into a code and a readable message here. `detail` keeps DuckDB's whole
 * message, every line of it, for code in this package that reads DuckDB's structured reports (the file
 * inspector names the line of a bad CSV row from it); it is never shown as it is.
 */
export class DuckQueryError extends Error {
  override readonly name = "DuckQueryError";
  constructor(
    readonly code: DuckErrorCode,
    message: string,
    readonly detail: string = message,
  ) {
    super(message);
  }
}

const MAX_MESSAGE = 1000;

/** DuckDB's physical type names as they appear in messages, in Sluice's words. */
const TYPE_WORDS: Record<string, string> = {
  INT8: "a whole number",
  INT16: "a whole number",
  INT32: "a whole number (integer)",
  INT64: "a whole number (bigint)",
  INT128: "a whole number",
  TINYINT: "a whole number",
  SMALLINT: "a whole number",
  INTEGER: "a whole number (integer)",
  BIGINT: "a whole number (bigint)",
  HUGEINT: "a whole number",
  FLOAT: "a number",
  DOUBLE: "a number (double)",
  BOOL: "true or false",
  BOOLEAN: "true or false",
  DATE: "a date",
  TIMESTAMP: "a timestamp",
};

function plainTypes(message: string): string {
  return message.replace(/\b(to|type|of) (INT8|INT16|INT32|INT64|INT128|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|BOOL|BOOLEAN|DATE|TIMESTAMP)\b/g, (_m, word: string, type: string) => `${word} ${TYPE_WORDS[type] ?? type}`);
}

/** DuckDB's message without its SQL excerpt, option hints meant for DuckDB users, or extra lines. */
function tidy(message: string): string {
  const lines: string[] = [];
  for (const line of message.split("\n")) {
    const t = line.trim();
    if (/^(LINE \d+:|Possible fixes|Did you mean)/.test(t)) break;
    if (t === "") {
      if (lines.length) break;
      continue;
    }
    lines.push(t);
  }
  return lines.join("; ").replace(/\s+/g, " ").trim();
}

/**
 * A file DuckDB names by its absolute path (`JSON transform error in file "/var/lib/sluice/outputs/…/x.json"`) by its
 * name alone: the server's folders are nobody's business, and every member of the workspace reads run errors. Also
 * drops DuckDB's suggestions of its own reader options (`Try setting 'auto_detect' to true, …`), which no node has.
 */
function withoutPaths(text: string): string {
  return text
    .replace(/\b(file )(["'])\/(?:[^"'\n]*\/)?([^"'/\n]+)\2/gi, (_m, word: string, q: string, base: string) => `${word}${q}${base}${q}`)
    .replace(/;? ?Try setting 'auto_detect' to true[^;]*$/, "")
    .trim();
}

const capped = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);

/** Splits DuckDB's error into its class ("Conversion", "Permission", …) and message; sessions ask for JSON errors. */
function parse(raw: string): { type: string; message: string } {
  const brace = raw.indexOf("{");
  if (brace >= 0) {
    try {
      const j = JSON.parse(raw.slice(brace)) as { exception_type?: unknown; exception_message?: unknown };
      if (typeof j.exception_type === "string" && typeof j.exception_message === "string") {
        return { type: j.exception_type, message: j.exception_message };
      }
    } catch {
      // not JSON: fall through to the text form
    }
  }
  const m = /^([A-Za-z ]+?) Error: ([\s\S]*)$/.exec(raw);
  return m ? { type: m[1]!, message: m[2]! } : { type: "", message: raw };
}

/** DuckDB's own message for what it threw, whole and untranslated (see DuckQueryError's `detail`). */
export function duckDetail(e: unknown): string {
  if (e instanceof DuckQueryError) return e.detail;
  return parse(e instanceof Error ? e.message : String(e)).message;
}

/** Turns anything DuckDB threw into a code and a message a person can act on. */
export function describeDuckError(e: unknown, context: { memoryLimit?: string } = {}): { code: DuckErrorCode; message: string } {
  if (e instanceof DuckQueryError) return { code: e.code, message: e.message };
  const d = describe(e, context);
  return { code: d.code, message: capped(d.message) };
}

function describe(e: unknown, context: { memoryLimit?: string }): { code: DuckErrorCode; message: string } {
  const raw = e instanceof Error ? e.message : String(e);
  const { type, message } = parse(raw);
  const text = withoutPaths(tidy(message));
  const kind = type.toLowerCase();
  if (kind === "interrupt") return { code: "QUERY_INTERRUPTED", message: "The query was stopped." };
  if (/no space left on device/i.test(message)) {
    return { code: "DISK_FULL", message: "The disk holding Sluice's data (or its spill folder) is full; free some space and try again." };
  }
  if (kind === "out of memory") {
    const limit = context.memoryLimit ? ` (limit ${context.memoryLimit})` : "";
    return { code: "OUT_OF_MEMORY", message: `DuckDB ran out of memory${limit} even though it spills to disk: ${text} Raise the memory limit or reduce the data this step keeps at once.` };
  }
  if (kind === "permission" || /configuration has been locked/.test(message)) {
    const file = /Cannot access (?:file|directory) "([^"]*)"/.exec(message)?.[1];
    if (file !== undefined) {
      return { code: "ACCESS_DENIED", message: `Sluice may not read or write "${file}": only uploaded files, the run's work folder and outputs are reachable.` };
    }
    if (/extension/i.test(message)) return { code: "ACCESS_DENIED", message: "DuckDB extensions cannot be installed or loaded in Sluice." };
    if (/locked/.test(message)) return { code: "ACCESS_DENIED", message: "DuckDB's settings are locked while Sluice runs a pipeline." };
    return { code: "ACCESS_DENIED", message: `Not allowed: ${text}` };
  }
  switch (kind) {
    case "conversion":
      return { code: "CONVERSION_FAILED", message: `A value could not be converted: ${plainTypes(text)}` };
    case "out of range":
      return { code: "VALUE_OUT_OF_RANGE", message: `A value is out of range: ${plainTypes(text)}` };
    case "constraint":
      return { code: "CONSTRAINT_VIOLATED", message: text };
    case "invalid input":
      return { code: "INVALID_INPUT", message: plainTypes(text) };
    default:
      return { code: "QUERY_FAILED", message: text || "The query failed." };
  }
}

/** Just the readable message; kept for callers that only show text. */
export const readableDuckError = (e: unknown): string => describeDuckError(e).message;
