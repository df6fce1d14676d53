import type { DateUnit, Dialect, SqlType } from "./dialect.ts";
import { quoteLiteral } from "./quote.ts";
import { duckType } from "./types.ts";

/** Whitespace: ASCII whitespace plus every Unicode space separator (e.g. no-break space). */
const SPACE = "[\\s\\p{Z}]";

const INTERVAL: Record<DateUnit, (n: string) => string> = {
  year: (n) => `to_years(CAST(${n} AS INTEGER))`,
  quarter: (n) => `to_months(3 * CAST(${n} AS INTEGER))`,
  month: (n) => `to_months(CAST(${n} AS INTEGER))`,
  week: (n) => `to_weeks(CAST(${n} AS INTEGER))`,
  day: (n) => `to_days(CAST(${n} AS INTEGER))`,
  hour: (n) => `to_hours(CAST(${n} AS BIGINT))`,
  minute: (n) => `to_minutes(CAST(${n} AS BIGINT))`,
  second: (n) => `to_seconds(CAST(${n} AS DOUBLE))`,
};

const literal = (value: unknown, t: SqlType) => {
  if (value === null || value === undefined) return `CAST(NULL AS ${duckType(t)})`;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return `CAST(${quoteLiteral(text)} AS ${duckType(t)})`;
};

/** DuckDB, the reference dialect: the SQL every run used before there were dialects. */
export const duckdbDialect: Dialect = {
  name: "duckdb",
  prelude: [],
  sharesRepeatedExpressions: true,
  type: duckType,
  textLiteral: quoteLiteral,
  literal,
  tryCast: (sql, t) => `TRY_CAST(${sql} AS ${duckType(t)})`,
  castNumberText: (text, t) => `TRY_CAST(${text} AS ${duckType(t)})`,
  toText: (sql) => `CAST(${sql} AS VARCHAR)`,
  toJson: (sql) => `to_json(${sql})`,
  parseJson: (sql) => `CASE WHEN json_valid(${sql}) THEN CAST(${sql} AS JSON) END`,
  raise: (message) => `error(${message})`,

  /**
   * `x` must appear once in the SQL DuckDB plans, not only in the text: DuckDB rewrites nullif(a, b) and CASE into
   * forms that repeat `a`, so nesting those doubled the plan at every level (x*x*x*x*x took 5 s to plan, one more
   * factor 40 s). A lambda over a one-element list binds `x` once, so nesting stays linear.
   */
  finite: (x) => `list_transform([${x}], lambda sluice_v: CASE WHEN isfinite(sluice_v) THEN sluice_v END)[1]`,
  arithmetic: (op, l, r, whole) => (whole ? `try(${l} ${op} ${r})` : duckdbDialect.finite(`(${l} ${op} ${r})`)),
  negateWhole: (sql) => `try(-(${sql}))`,
  absWhole: (sql) => `try(abs(${sql}))`,
  // No nullif(divisor, 0), which would repeat the divisor (see finite): a double divided by zero is infinite or
  // NaN, which finite() nulls.
  divide: (l, r) => duckdbDialect.finite(`(${l} / ${r})`),
  // power(x, 0.5) gives NaN (not an error) for negative x, which finite() turns into null.
  power: (a, b) => duckdbDialect.finite(`power(${a}, ${b})`),
  round: (sql, digits) => `round(${sql}, CAST(${digits} AS INTEGER))`,

  contains: (a, b) => `contains(${a}, ${b})`,
  startsWith: (a, b) => `starts_with(${a}, ${b})`,
  endsWith: (a, b) => `ends_with(${a}, ${b})`,
  textEnd: (side, text, n) => `${side}(${text}, ${n})`,
  substr: (a, s, n) => `substr(${a}, ${s}${n === undefined ? "" : `, ${n}`})`,
  concat: (args) => `concat(${args.join(", ")})`,
  regexMatches: (text, pattern, ignoreCase) => `regexp_matches(${text}, ${quoteLiteral(pattern)}${ignoreCase ? ", 'i'" : ""})`,
  regexReplace: (text, pattern, replacement) => `regexp_replace(${text}, ${quoteLiteral(pattern)}, ${replacement}, 'g')`,
  trimSpaces: (text) => `regexp_replace(${text}, '^${SPACE}+|${SPACE}+$', '', 'g')`,
  collapseSpaces: (text) => `regexp_replace(${text}, '${SPACE}+', ' ', 'g')`,
  titleCase: (text) => `array_to_string(list_transform(regexp_extract_all(${text}, '[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+'), lambda w: upper(w[1]) || lower(w[2:])), '')`,
  stripNonPrintable: (text) => `regexp_replace(${text}, '[\\p{Cc}\\p{Cf}]', '', 'g')`,

  datePart: (part, sql) => `${part}(${sql})`,
  dateTrunc: (unit, sql, result) => {
    const truncated = `CAST(date_trunc(${quoteLiteral(unit)}, ${sql}) AS ${result === "date" ? "DATE" : "TIMESTAMP"})`;
    // Of a date, date_trunc gives a timestamp that is cast back: stepping back to the 1st is the same date at about a
    // third of the cost (5M dates, docs/benchmarks.md). Outside the years 1 to 9999 (infinity, or out of the
    // timestamp range) date_trunc's own result stands.
    if (result !== "date" || unit.toLowerCase() !== "month") return truncated;
    return `CASE WHEN ${sql} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN ${sql} - CAST(day(${sql}) - 1 AS INTEGER) ELSE ${truncated} END`;
  },
  dateAdd: (sql, n, unit, result) => `CAST(${sql} + ${INTERVAL[unit](n)} AS ${result === "date" ? "DATE" : "TIMESTAMP"})`,
  dateDiff: (unit, a, b) => `date_diff(${quoteLiteral(unit)}, ${a}, ${b})`,
  formatDate: (sql, format) => `strftime(${sql}, ${quoteLiteral(format)})`,
  parseDate: (text, formats) =>
    formats.length === 1 ? `CAST(try_strptime(${text}, ${quoteLiteral(formats[0]!)}) AS DATE)` : `CAST(TRY_STRPTIME(${text}, [${formats.map(quoteLiteral).join(", ")}]) AS DATE)`,
  parseTimestamp: (text, format) => `TRY_STRPTIME(${text}, ${quoteLiteral(format)})`,
  tryTimestamp: (text) => `TRY_CAST(${text} AS TIMESTAMP)`,
  tryTimestampWithOffset: (text) => `timezone('UTC', TRY_CAST(${text} AS TIMESTAMPTZ))`,
  zonedToUtc: (sql, zone) => `timezone('UTC', timezone(${quoteLiteral(zone)}, ${sql}))`,
  instantToUtc: (sql) => `timezone('UTC', ${sql})`,
  currentDate: () => "current_date",
  currentTimestamp: () => "CAST(now() AS TIMESTAMP)",

  argMin: (v, k) => `arg_min(${v}, ${k})`,
  argMax: (v, k) => `arg_max(${v}, ${k})`,
  firstByOrder: (v, order, filter) => `first(${v} ORDER BY ${order})${filter ? ` FILTER (WHERE ${filter})` : ""}`,
  median: (sql) => `median(${sql})`,
  stddev: (sql) => `stddev_samp(${sql})`,
  avg: (sql, _t, filter) => `avg(${sql})${filter ? ` FILTER (WHERE ${filter})` : ""}`,
  stringAgg: (text, separator, order) => `string_agg(${text}, ${separator} ORDER BY ${order})`,

  rowOrder: (order) => `row_number() OVER (ORDER BY ${order})`,
  derivedTable: (select) => select,
  allBut: (_columns, except) => `* EXCLUDE (${except})`,
  firstPerPartition: (relation, _columns, partition, order) => `SELECT * FROM ${relation} QUALIFY row_number() OVER (${partition}ORDER BY ${order}) = 1`,
  // Sorted once, then numbered as they stream out: a numbering window with its own ORDER BY would sort again.
  numbered: (select, names, from, order, row) =>
    `SELECT ${[...names, `CAST(row_number() OVER () AS BIGINT) AS ${row}`].join(", ")} FROM (SELECT ${select.join(", ")} FROM ${from} ORDER BY ${order}) AS j`,
  unpivot(relation, keep, order, entries) {
    // One struct per entry; its field names are ours, so user names never clash with them.
    const structs = entries.map((e, i) => `{'n': ${quoteLiteral(e.name)}, 'i': ${i}, 'v': ${e.value}}`);
    return {
      sql: `SELECT ${[...keep, `${order} AS "r"`, `unnest([${structs.join(", ")}]) AS "e"`].join(", ")} FROM ${relation}`,
      field: (f) => `struct_extract("e", '${f}')`,
    };
  },
};
