import { error, fail, ok, type Column, type ColumnType, type Result } from "@sluice/model";

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at a dotted path ("data.items", "results.0.rows"); "" is the value itself. */
export function valueAt(root: Json, path: string): { found: true; value: Json } | { found: false; missing: string; keys: string[] } {
  let value = root;
  if (path === "") return { found: true, value };
  const done: string[] = [];
  for (const segment of path.split(".")) {
    if (Array.isArray(value) && /^\d+$/.test(segment) && Number(segment) < value.length) value = value[Number(segment)];
    else if (isObject(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return { found: false, missing: [...done, segment].join("."), keys: isObject(value) ? Object.keys(value).slice(0, 20) : [] };
    done.push(segment);
  }
  return { found: true, value };
}

/** The records of one response: an array at the path, or a single object; null means none. */
export function extractRecords(body: Json, recordsPath: string): Result<Json[]> {
  const at = valueAt(body, recordsPath);
  if (!at.found) {
    const keys = at.keys.length ? ` The keys there are: ${at.keys.map((k) => `"${k}"`).join(", ")}.` : "";
    return fail(error("HTTP_RECORDS_NOT_FOUND", `The response has nothing at "${at.missing}".${keys}`, { field: "recordsPath" }));
  }
  if (Array.isArray(at.value)) return ok(at.value);
  if (at.value === null) return ok([]);
  if (isObject(at.value)) return ok([at.value]);
  const where = recordsPath === "" ? "The response" : `"${recordsPath}"`;
  return fail(error("HTTP_RECORDS_NOT_FOUND", `${where} is a ${typeof at.value}, not a list of records; set the records path.`, { field: "recordsPath" }));
}

/**
 * A record's columns: its keys, with nested objects flattened one level ("user.name"); deeper objects and
 * arrays stay whole (as JSON). Names that differ only in case get DuckDB's "_1" suffix, since DuckDB
 * cannot tell them apart. A record that is not an object becomes one column, "value".
 */
export function flattenRecord(record: Json): [string, Json][] {
  if (!isObject(record)) return [["value", record]];
  const out: [string, Json][] = [];
  for (const [key, value] of Object.entries(record)) {
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [inner, v] of Object.entries(value)) out.push([`${key}.${inner}`, v]);
    } else out.push([key, value]);
  }
  const seen = new Set<string>();
  return out.map(([name, value]) => {
    let unique = name;
    for (let i = 1; seen.has(unique.toLowerCase()); i++) unique = `${name}_${i}`;
    seen.add(unique.toLowerCase());
    return [unique, value];
  });
}

const INT32 = 2 ** 31;

function kindOf(v: Json): ColumnType | "null" {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return Number.isSafeInteger(v) ? (Math.abs(v) < INT32 ? "integer" : "bigint") : "double";
  if (typeof v === "string") return "string";
  return "json";
}

function merge(a: ColumnType | "null", b: ColumnType | "null"): ColumnType | "null" {
  if (a === "null" || a === b) return b;
  if (b === "null") return a;
  const numeric = ["integer", "bigint", "double"];
  if (numeric.includes(a) && numeric.includes(b)) return numeric[Math.max(numeric.indexOf(a), numeric.indexOf(b))] as ColumnType;
  if (a === "json" || b === "json") return "json";
  return "string";
}

/** Column names and types that fit every record of a sample, in order of first appearance. */
export function inferColumns(records: Json[]): Column[] {
  const kinds = new Map<string, ColumnType | "null">();
  for (const record of records) {
    for (const [name, value] of flattenRecord(record)) kinds.set(name, merge(kinds.get(name) ?? "null", kindOf(value)));
  }
  return [...kinds].map(([name, kind]) => ({ name, type: kind === "null" ? "string" : kind }));
}

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A value's text for the staged CSV in the column's type, or why it does not fit. */
export function fieldText(value: Json, column: Column): { ok: true; text: string | null } | { ok: false; reason: string } {
  if (value === null || value === undefined) return { ok: true, text: null };
  const bad = () => ({ ok: false as const, reason: `should be ${column.type} but is ${JSON.stringify(value)?.slice(0, 60)}` });
  switch (column.type) {
    case "integer":
    case "bigint": {
      const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : typeof value === "string" && INTEGER_TEXT.test(value) ? value : undefined;
      if (text === undefined) return bad();
      const n = Number(text);
      if (column.type === "integer" && (n >= INT32 || n < -INT32)) return bad();
      return { ok: true, text };
    }
    case "double":
    case "decimal":
      if (typeof value === "number") return { ok: true, text: String(value) };
      return typeof value === "string" && NUMBER_TEXT.test(value) ? { ok: true, text: value } : bad();
    case "boolean":
      return typeof value === "boolean" ? { ok: true, text: String(value) } : bad();
    case "json":
      return { ok: true, text: JSON.stringify(value) };
    case "string":
      return { ok: true, text: typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value) };
    case "date":
    case "timestamp":
      return typeof value === "string" ? { ok: true, text: value } : bad();
    default: {
      const never: never = column.type;
      throw new Error(`unknown column type ${String(never)}`);
    }
  }
}
