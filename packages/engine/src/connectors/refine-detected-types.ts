import type { Column } from "@sluice/model";
import { fileReadSql, quoteIdent, type DataFileInfo, type DataFileOptions } from "@sluice/pipeline";
import type { DuckSession } from "../duckdb-session.ts";

type Query = DuckSession["query"];

/*
 * Where DuckDB's type detection of a text file loses or changes values, the inspector corrects the detected columns
 * by reading the file's text once more.
 */

/**
 * Columns detected as double whose every value is a plain number (digits, at most one point, no exponent) that a
 * double cannot hold exactly. DuckDB's detection makes a whole number too big for a bigint a double, which keeps
 * 15-17 digits (9223372036854775808 read 9223372036854776000, a 23-digit id lost its last 7), and so every decimal
 * (12345678901234567890.1234567890, as a decimal(38,10) column writes to CSV, read back 12345678901234567000). Read
 * as exact decimals instead (scale: the most digits after the point), or as text past 38 digits. A column of numbers
 * of 15 significant digits or fewer stays double: a double holds them exactly.
 */
export async function exactNumbers(query: Query, info: DataFileInfo): Promise<Column[]> {
  const doubles = info.columns.flatMap((c, i) => (c.type === "double" ? [i] : []));
  if (doubles.length === 0) return info.columns;
  const read = fileReadSql(info, info.columns, { text: true, csv: {}, numbered: false });
  const checks = doubles.flatMap((i) => {
    const v = `trim(${quoteIdent(info.columns[i]!.name)})`;
    const whole = `ltrim(split_part(ltrim(${v}, '+-'), '.', 1), '0')`;
    const fraction = `split_part(${v}, '.', 2)`;
    return [
      `bool_and(regexp_full_match(${v}, '[+-]?([0-9]+|[0-9]*\\.[0-9]+|[0-9]+\\.)')) AS p${i}`,
      `max(length(${whole})) AS w${i}`,
      `max(length(${fraction})) AS f${i}`,
      `max(length(ltrim(${whole} || ${fraction}, '0'))) AS s${i}`,
    ];
  });
  const [row] = await query(`SELECT ${checks.join(", ")} FROM (${read})`);
  return info.columns.map((c, i): Column => {
    if (c.type !== "double" || row?.[`p${i}`] !== true) return c;
    const [whole, fraction, significant] = [row[`w${i}`], row[`f${i}`], row[`s${i}`]].map((n) => Number(n ?? 0)) as [number, number, number];
    if (fraction > 0 && significant <= 15) return c;
    return whole + fraction <= 38 ? { name: c.name, type: "decimal", precision: 38, scale: fraction } : { name: c.name, type: "string" };
  });
}

/** The formats DuckDB reads without being told: ISO 8601 dates and timestamps. */
const ISO_DATE = /^%Y-%m-%d$/;
const ISO_TIMESTAMP = /^%Y-%m-%d[ T]%H:%M:%S(\.%[fgn])?$/;

/**
 * CSV dates and timestamps written `infinity` or `-infinity` (as PostgreSQL exports them): DuckDB's CSV reader, given
 * a date or timestamp format, reads them as 1900-01-01 without a word. An ISO format is then not given (DuckDB reads
 * ISO and infinity itself); a column in another format with such values is read as text, exactly as written.
 */
export async function infiniteDates(query: Query, info: DataFileInfo): Promise<{ columns: Column[]; options: DataFileOptions }> {
  const o = info.options ?? {};
  const formatted = (c: Column) => (c.type === "date" && o.dateFormat !== undefined) || (c.type === "timestamp" && o.timestampFormat !== undefined && !o.offsetTimestamps?.includes(c.name));
  const candidates = info.columns.flatMap((c, i) => (formatted(c) ? [i] : []));
  if (candidates.length === 0) return { columns: info.columns, options: o };
  const read = fileReadSql(info, info.columns, { text: true, csv: {}, numbered: false });
  const checks = candidates.map((i) => `bool_or(regexp_full_match(lower(trim(${quoteIdent(info.columns[i]!.name)})), '[+-]?inf(inity)?')) AS i${i}`);
  const [row] = await query(`SELECT ${checks.join(", ")} FROM (${read})`);
  const infinite = new Set(candidates.filter((i) => row?.[`i${i}`] === true));
  if (infinite.size === 0) return { columns: info.columns, options: o };
  const options = { ...o };
  const types = new Set([...infinite].map((i) => info.columns[i]!.type));
  if (types.has("date") && ISO_DATE.test(o.dateFormat ?? "")) delete options.dateFormat;
  if (types.has("timestamp") && ISO_TIMESTAMP.test(o.timestampFormat ?? "")) delete options.timestampFormat;
  const stillFormatted = (c: Column) => (c.type === "date" ? options.dateFormat !== undefined : options.timestampFormat !== undefined);
  const columns = info.columns.map((c, i): Column => (infinite.has(i) && stillFormatted(c) ? { name: c.name, type: "string" } : c));
  return { columns, options };
}
