import type { ColumnType } from "@sluice/model";
import { ROW_ORDER_COLUMN } from "../catalog/node-definition.ts";
import { DialectUnsupported, type DateUnit, type Dialect, type SqlType } from "./dialect.ts";
import { POSTGRES_PRELUDE } from "./postgres-prelude.ts";
import { isBareName, quoteIdent, quoteLiteral } from "./quote.ts";
import { re2ToPostgres, SPACE_CHARACTERS } from "./re2-to-postgres.ts";
import { formatToPostgres, formatPattern, safeDatePattern } from "./strftime-to-postgres.ts";

const unsupported = (reason: string): never => {
  throw new DialectUnsupported("postgres", reason);
};

function type(t: SqlType): string {
  const c: ColumnType = t.type;
  switch (c) {
    case "string":
      return "TEXT";
    case "integer":
      return "INTEGER";
    case "bigint":
      return "BIGINT";
    case "double":
      return "DOUBLE PRECISION";
    case "decimal":
      return `NUMERIC(${t.precision ?? 18},${t.scale ?? 3})`;
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMP";
    // jsonb, not json: json values have no equality, so DISTINCT, GROUP BY and joins on them would fail.
    case "json":
      return "JSONB";
    default: {
      const never: never = c;
      throw new Error(`unknown column type ${String(never)}`);
    }
  }
}

const literal = (value: unknown, t: SqlType) => {
  if (value === null || value === undefined) return `CAST(NULL AS ${type(t)})`;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return `CAST(${quoteLiteral(text)} AS ${type(t)})`;
};

function tryCast(sql: string, t: SqlType): string {
  switch (t.type) {
    case "integer":
    case "bigint":
    case "double":
    case "boolean":
    case "date":
    case "timestamp":
      return `pg_temp.sluice_try_${t.type}(${sql})`;
    case "decimal":
      return `CAST(pg_temp.sluice_try_numeric(${sql}, ${t.precision ?? 18}, ${t.scale ?? 3}) AS ${type(t)})`;
    case "string":
      return `CAST(${sql} AS TEXT)`;
    case "json":
      return `pg_temp.sluice_try_jsonb(CAST(${sql} AS TEXT))`;
  }
}

const WHOLE_RANGE: Partial<Record<ColumnType, [string, string]>> = {
  integer: ["-2147483648", "2147483647"],
  bigint: ["-9223372036854775808", "9223372036854775807"],
};

/**
 * Text that matched a strict number pattern, without the prelude's exception-catching helpers (each call of one
 * opens a subtransaction, which made retype several times slower than the casts themselves): such text always
 * reads as a NUMERIC, so only the range is checked. Very long text (past any range, or zeros in front) and, for
 * decimals, an exponent (which can overflow NUMERIC itself) go to the helper as before, as do doubles.
 */
function castNumberText(sql: string, t: SqlType): string {
  return bindOnce(sql, (text) => castNumberValue(text, t));
}

function castNumberValue(text: string, t: SqlType): string {
  const whole = WHOLE_RANGE[t.type];
  const num = `CAST(${text} AS NUMERIC)`;
  if (whole) return `CASE WHEN length(${text}) < 100 THEN CASE WHEN ${num} BETWEEN ${whole[0]} AND ${whole[1]} THEN CAST(${num} AS ${type(t)}) END ELSE ${tryCast(text, t)} END`;
  if (t.type === "decimal") {
    const s = t.scale ?? 3;
    const rounded = `round(${num}, ${s})`;
    const fits = `abs(${rounded}) < CAST('1e${(t.precision ?? 18) - s}' AS NUMERIC)`;
    return `CASE WHEN length(${text}) < 1000 AND strpos(${text}, 'e') = 0 AND strpos(${text}, 'E') = 0 THEN CAST(CASE WHEN ${fits} THEN ${rounded} END AS ${type(t)}) ELSE ${tryCast(text, t)} END`;
  }
  return tryCast(text, t);
}

function toText(sql: string, from: ColumnType | "null"): string {
  if (from === "double") return `pg_temp.sluice_double_text(${sql})`;
  // DuckDB prints a timestamp's fraction without trailing zeros and a JSON value as written; PostgreSQL alike for these.
  return `CAST(${sql} AS TEXT)`;
}

const DOUBLE_OPS = { "+": "add", "-": "sub", "*": "mul", "%": "mod" } as const;

/** Unit boundaries between two timestamps, counted as DuckDB's date_diff counts them. */
function dateDiff(unit: DateUnit, a: string, b: string): string {
  const part = (p: string, x: string) => `CAST(extract(${p} FROM ${x}) AS BIGINT)`;
  // Months (quarters) since year 0, reading the value once.
  const count = (x: string, p: "month" | "quarter", per: number) => bindOnce(x, (v) => `(${part("year", v)} * ${per} + ${part(p, v)})`);
  const ts = (x: string) => `CAST(${x} AS TIMESTAMP)`;
  const days = `(CAST(${b} AS DATE) - CAST(${a} AS DATE))`;
  const epochFloor = (x: string, seconds: number) => `CAST(floor(extract(epoch FROM ${ts(x)}) / ${seconds}) AS BIGINT)`;
  switch (unit) {
    case "year":
      return `(${part("year", b)} - ${part("year", a)})`;
    case "quarter":
      return `(${count(b, "quarter", 4)} - ${count(a, "quarter", 4)})`;
    case "month":
      return `(${count(b, "month", 12)} - ${count(a, "month", 12)})`;
    // DuckDB counts whole weeks between the two days, not week boundaries.
    case "week":
      return `CAST(${days} / 7 AS BIGINT)`;
    case "day":
      return `CAST(${days} AS BIGINT)`;
    case "hour":
      return `(${epochFloor(b, 3600)} - ${epochFloor(a, 3600)})`;
    case "minute":
      return `(${epochFloor(b, 60)} - ${epochFloor(a, 60)})`;
    case "second":
      return `(${epochFloor(b, 1)} - ${epochFloor(a, 1)})`;
  }
}

function interval(n: string, unit: DateUnit): string {
  const int = `CAST(${n} AS INTEGER)`;
  switch (unit) {
    case "year":
      return `make_interval(years => ${int})`;
    case "quarter":
      return `make_interval(months => 3 * ${int})`;
    case "month":
      return `make_interval(months => ${int})`;
    case "week":
      return `make_interval(weeks => ${int})`;
    case "day":
      return `make_interval(days => ${int})`;
    case "hour":
      return `(CAST(${n} AS BIGINT) * INTERVAL '1 hour')`;
    case "minute":
      return `(CAST(${n} AS BIGINT) * INTERVAL '1 minute')`;
    case "second":
      return `make_interval(secs => CAST(${n} AS DOUBLE PRECISION))`;
  }
}

/** Unicode's space separators (Zs), which DuckDB's trim(text) removes. */
const SPACE_SEPARATORS = ` \u00a0\u1680${Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)).join("")}\u202f\u205f\u3000`;

/** Text DuckDB's TRY_CAST reads as a TIMESTAMP: an ISO date, optionally a time, optionally a trailing Z. */
const ISO_TIMESTAMP = "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]+)?)?)?Z?$";

/**
 * `body` applied to `sql`, with `sql` written once (see Dialect): a scalar subquery over a derived table that
 * OFFSET 0 keeps PostgreSQL from pulling up (which would write `sql` into `body` again). Costlier per row than the
 * expression itself, so a bare column name, which cannot grow, is used as it is.
 */
function bindOnce(sql: string, body: (value: string) => string): string {
  return isBareName(sql) ? body(sql) : `(SELECT ${body("sluice_v")} FROM (SELECT ${sql} AS sluice_v OFFSET 0) AS sluice_b)`;
}

/** The window number firstPerPartition filters on; the reserved prefix keeps it apart from user columns. */
const rankColumn = quoteIdent(`${ROW_ORDER_COLUMN}_rank`);

/**
 * PostgreSQL 15 and later. Where PostgreSQL raises an error and DuckDB gives null, or the two print or round
 * differently, a helper function of the prelude (postgres-prelude.ts) gives DuckDB's result.
 */
export const postgresDialect: Dialect = {
  name: "postgres",
  prelude: POSTGRES_PRELUDE,
  sharesRepeatedExpressions: false,
  type,
  textLiteral: (value) => `CAST(${quoteLiteral(value)} AS TEXT)`,
  literal,
  tryCast,
  castNumberText,
  toText,
  // DuckDB writes a timestamp in JSON as "2024-01-01 10:00:00", PostgreSQL with a T.
  toJson: (sql, from) => (from === "timestamp" ? `to_jsonb(CAST(${sql} AS TEXT))` : `to_jsonb(${sql})`),
  parseJson: (sql) => `pg_temp.sluice_try_jsonb(${sql})`,
  raise: (message, t) => `CAST(pg_temp.sluice_raise(${message}) AS ${type(t)})`,

  finite: (sql) => `pg_temp.sluice_finite(${sql})`,
  arithmetic: (op, l, r, whole) => (whole ? `pg_temp.sluice_whole_${DOUBLE_OPS[op]}(${l}, ${r})` : `pg_temp.sluice_double_${DOUBLE_OPS[op]}(${l}, ${r})`),
  negateWhole: (sql) => `pg_temp.sluice_whole_neg(${sql})`,
  absWhole: (sql) => `pg_temp.sluice_whole_abs(${sql})`,
  divide: (l, r) => `pg_temp.sluice_double_div(${l}, ${r})`,
  power: (a, b) => `pg_temp.sluice_double_power(${a}, ${b})`,
  round: (sql, digits) => `pg_temp.sluice_round(${sql}, CAST(${digits} AS INTEGER))`,
  clampWhole: (sql) => `pg_temp.sluice_clamp_whole(CAST(${sql} AS DOUBLE PRECISION))`,

  // "C" compares bytes, which in UTF-8 is code point order; a column's or the database's collation (en_US, ICU)
  // orders case and accents together instead. Only where ordering is done: under "C", lower() and upper() leave
  // every letter outside ASCII as it is, so a chosen value goes back to the database's collation.
  textOrder: (text) => `(${text} COLLATE "C")`,
  textOrdered: (text) => `(${text} COLLATE "default")`,
  // DuckDB's case mapping (Dialect.changeCase): upper("ẞ") is "ẞ" under every collation, so "ß" goes in as that.
  changeCase: (to, text) => (to === "upper" ? `upper(replace(${text}, 'ß', 'ẞ'))` : `lower(${text})`),
  contains: (a, b) => `(strpos(${a}, ${b}) > 0)`,
  startsWith: (a, b) => `starts_with(${a}, ${b})`,
  // Not right(a, length(b)) = b, which writes b twice; reverse works on characters, as right does.
  endsWith: (a, b) => `starts_with(reverse(${a}), reverse(${b}))`,
  textEnd: (side, text, n) => `${side}(${text}, CAST(${n} AS INTEGER))`,
  substr: (a, s, n) => (n === undefined ? `pg_temp.sluice_substr(${a}, ${s})` : `pg_temp.sluice_substr(${a}, ${s}, ${n})`),
  // concat prints values with their types' output functions (a boolean as t); DuckDB casts them to text (true).
  concat: (args, types) => `concat(${args.map((a, i) => (types[i] === "string" || types[i] === "null" ? a : toText(a, types[i]!))).join(", ")})`,
  regexMatches: (text, pattern, ignoreCase) => `(${text} ${ignoreCase ? "~*" : "~"} ${quoteLiteral(re2ToPostgres(pattern, { lazy: true }))})`,
  regexReplace: (text, pattern, replacement) =>
    // DuckDB (RE2) writes the whole match as \0, PostgreSQL as \&.
    `regexp_replace(${text}, ${quoteLiteral(re2ToPostgres(pattern, { lazy: false }))}, replace(${replacement}, '\\0', '\\&'), 'g')`,
  // btrim with the same characters as the class ^[\s\p{Z}]+|[\s\p{Z}]+$ removes exactly what that regexp_replace
  // removes, at about a third of its cost.
  trimSpaces: (text) => `btrim(${text}, ${quoteLiteral(SPACE_CHARACTERS)})`,
  // PostgreSQL's trim(text) removes only U+0020.
  trimSpaceSeparators: (text) => `btrim(${text}, ${quoteLiteral(SPACE_SEPARATORS)})`,
  collapseSpaces: (text) => `regexp_replace(${text}, ${quoteLiteral(re2ToPostgres("[\\s\\p{Z}]+", { lazy: false }))}, ' ', 'g')`,
  titleCase: () => unsupported("title case needs Unicode letter classes, which PostgreSQL's regular expressions lack"),
  stripNonPrintable: () => unsupported("removing non-printable characters needs Unicode categories, which PostgreSQL's regular expressions lack"),
  // NULLIF evaluates its first argument once.
  nullIf: (sql, values) => values.reduce((e, v) => `NULLIF(${e}, ${v})`, sql),

  datePart: (part, sql) => `CAST(extract(${part} FROM ${sql}) AS BIGINT)`,
  dateTrunc: (unit, sql, result) => `CAST(date_trunc(${quoteLiteral(unit)}, CAST(${sql} AS TIMESTAMP)) AS ${result === "date" ? "DATE" : "TIMESTAMP"})`,
  dateAdd: (sql, n, unit, result) => `CAST(${sql} + ${interval(n, unit)} AS ${result === "date" ? "DATE" : "TIMESTAMP"})`,
  dateDiff,
  formatDate: (sql, format) => `to_char(${sql}, ${quoteLiteral(formatToPostgres(format))})`,
  parseDate: (sql, formats) =>
    bindOnce(sql, (text) => {
      const each = formats.map((f) => {
        const template = quoteLiteral(formatToPostgres(f, { parsing: true }));
        const checked = `CASE WHEN ${text} ~ ${quoteLiteral(formatPattern(f))} THEN CAST(pg_temp.sluice_try_to_timestamp(${text}, ${template}) AS DATE) END`;
        const safe = safeDatePattern(f);
        // Text that cannot be out of range is read directly (what the helper does, without its subtransaction per call).
        return safe ? `CASE WHEN ${text} ~ ${quoteLiteral(safe)} THEN CAST(to_timestamp(${text}, ${template}) AT TIME ZONE current_setting('TimeZone') AS DATE) ELSE ${checked} END` : checked;
      });
      return each.length === 1 ? each[0]! : `COALESCE(${each.join(", ")})`;
    }),
  parseTimestamp: (sql, format) => {
    if (/%[zZ]/.test(format.replace(/%%/g, ""))) unsupported(`the format ${JSON.stringify(format)} reads a time zone, which PostgreSQL's to_timestamp reads differently`);
    return bindOnce(sql, (text) => `CASE WHEN ${text} ~ ${quoteLiteral(formatPattern(format))} THEN pg_temp.sluice_try_to_timestamp(${text}, ${quoteLiteral(formatToPostgres(format, { parsing: true }))}) END`);
  },
  tryTimestamp: (sql) => bindOnce(sql, (text) => `CASE WHEN ${text} ~ ${quoteLiteral(ISO_TIMESTAMP)} THEN pg_temp.sluice_try_timestamp(${text}) END`),
  tryTimestampWithOffset: (text) => `pg_temp.sluice_try_instant(${text})`,
  zonedToUtc: (sql, zone) => `timezone('UTC', timezone(${quoteLiteral(zone)}, ${sql}))`,
  instantToUtc: (sql) => `timezone('UTC', ${sql})`,
  currentDate: () => "CAST(timezone('UTC', now()) AS DATE)",
  currentTimestamp: () => "timezone('UTC', now())",

  argMin: (v, k) => `(array_agg(${v} ORDER BY ${k}) FILTER (WHERE ${v} IS NOT NULL))[1]`,
  argMax: (v, k) => `(array_agg(${v} ORDER BY ${k} DESC) FILTER (WHERE ${v} IS NOT NULL))[1]`,
  firstByOrder: (v, order, filter) => `(array_agg(${v} ORDER BY ${order})${filter ? ` FILTER (WHERE ${filter})` : ""})[1]`,
  // The cast to numeric(38, s) that every sum gets fails with "numeric field overflow".
  fittingDecimalSum: (sql) => sql,
  distinctBy: (sql, t) =>
    t === "json" ? unsupported('JSON values are told apart by their text on DuckDB ({"a": 1} and {"a":1} are two values), by value in PostgreSQL\'s jsonb') : sql,
  minMax: (fn, sql, t, filter) => {
    const f = filter ? ` FILTER (WHERE ${filter})` : "";
    // PostgreSQL has no min(boolean): false < true, so min is "all true" and max "any true".
    if (t === "boolean") return `${fn === "min" ? "bool_and" : "bool_or"}(${sql})${f}`;
    // Text by code point, the chosen value back in the database's collation (textOrder, textOrdered).
    if (t === "string") return `(${fn}(${sql} COLLATE "C")${f} COLLATE "default")`;
    return `${fn}(${sql})${f}`;
  },
  median: (sql) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(${sql} AS DOUBLE PRECISION))`,
  stddev: (sql) => `stddev_samp(CAST(${sql} AS DOUBLE PRECISION))`,
  // DuckDB divides the sum (exact for whole numbers and decimals), as a double, by the count. PostgreSQL's own avg of
  // doubles also sums squares, which overflows on values DuckDB averages.
  avg: (sql, _t, filter) => {
    const f = filter ? ` FILTER (WHERE ${filter})` : "";
    return `pg_temp.sluice_double_div(CAST(sum(${sql})${f} AS DOUBLE PRECISION), CAST(count(${sql})${f} AS DOUBLE PRECISION))`;
  },
  stringAgg: (text, separator, order) => `string_agg(${text}, ${separator} ORDER BY ${order})`,

  rowOrder: (order) => `row_number() OVER (ORDER BY ${order})`,
  // OFFSET 0 keeps PostgreSQL from pulling the subquery up into its reader.
  derivedTable: (select) => `${select} OFFSET 0`,
  allBut: (columns) => columns.join(", "),
  firstPerPartition: (relation, columns, partition, order) =>
    `SELECT ${columns.join(", ")} FROM (SELECT *, row_number() OVER (${partition}ORDER BY ${order}) AS ${rankColumn} FROM ${relation}) AS q WHERE ${rankColumn} = 1`,
  numbered: (select, _names, from, order, row) => `SELECT ${[...select, `CAST(${postgresDialect.rowOrder(order)} AS BIGINT) AS ${row}`].join(", ")} FROM ${from}`,
  unpivot(relation, keep, order, entries) {
    // The input's columns are read in a subquery of our own names only: beside the lateral's "n", "i" and "v", a user
    // column of one of those names would be ambiguous ("column reference "v" is ambiguous").
    const inner = [...keep, `${order} AS "r"`, ...entries.map((e, i) => `${e.value} AS "u${i}"`)];
    const rows = entries.map((e, i) => `(${quoteLiteral(e.name)}, ${i}, "s"."u${i}")`);
    return {
      sql: `SELECT "s".*, "e"."n" AS "n", "e"."i" AS "i", "e"."v" AS "v" FROM (SELECT ${inner.join(", ")} FROM ${relation}) AS "s" CROSS JOIN LATERAL (VALUES ${rows.join(", ")}) AS "e"("n", "i", "v")`,
      field: (f) => `"${f}"`,
    };
  },
};
