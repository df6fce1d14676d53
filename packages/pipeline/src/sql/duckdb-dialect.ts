import type { DateUnit, Dialect, SqlType } from "./dialect.ts";
import { isBareName, quoteLiteral } from "./quote.ts";
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

/**
 * `body` applied to `sql`, with `sql` written once. A builder that needs its operand twice (a CASE over it) goes
 * through here: written twice, operands nested in operands double the SQL at every level, and DuckDB's planner
 * doubles them again in nullif and CASE (x*x*x*x*x took 5 s to plan, one more factor 40 s). A lambda over a
 * one-element list binds `sql` once, so nesting stays linear; a bare column name needs no binding.
 */
function bindOnce(sql: string, body: (value: string) => string): string {
  return isBareName(sql) ? body(sql) : `list_transform([${sql}], lambda sluice_v: ${body("sluice_v")})[1]`;
}

/**
 * The value of a number the expression compiler wrote, maybe cast again and negated: CAST(12 AS BIGINT),
 * try(-(CAST(CAST(12 AS BIGINT) AS BIGINT))), CAST('2.5' AS DOUBLE), (-(CAST('2.5' AS DOUBLE))); else undefined.
 */
function constantNumber(sql: string): number | undefined {
  const negated = /^(?:try\(-\((.*)\)\)|\(-\((.*)\)\))$/.exec(sql);
  let x = negated ? (negated[1] ?? negated[2]!) : sql;
  for (let m = /^CAST\((.*) AS (?:BIGINT|DOUBLE)\)$/.exec(x); m; m = /^CAST\((.*) AS (?:BIGINT|DOUBLE)\)$/.exec(x)) x = m[1]!;
  if (!/^(?:[0-9]+|'[^']*')$/.test(x)) return undefined;
  const value = (negated ? -1 : 1) * Number(x.replace(/'/g, ""));
  return Number.isFinite(value) ? value : undefined;
}
const WHOLE_LIMIT = 2147483647;

/** clampWhole of a constant, worked out here: CAST(k AS BIGINT), which `knownWhole` reads back. */
function clampConstant(sql: string): string | undefined {
  const x = constantNumber(sql);
  if (x === undefined) return undefined;
  // Halves to even, as DuckDB casts a double to a BIGINT.
  const whole = Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
  return `CAST(${Math.max(-WHOLE_LIMIT, Math.min(WHOLE_LIMIT, whole))} AS BIGINT)`;
}
const knownWhole = (sql: string): number | undefined => {
  const m = /^CAST\((-?[0-9]+) AS BIGINT\)$/.exec(sql);
  return m ? Number(m[1]) : undefined;
};
/** Whether `sql` is clamp() of a bare column name: an operand of fixed size. */
const clampedColumn = (sql: string) => {
  const m = /^CASE WHEN (\S+) > /.exec(sql);
  return m !== null && isBareName(m[1]!) && sql === clamp(m[1]!);
};
const clamp = (v: string) => `CASE WHEN ${v} > ${WHOLE_LIMIT} THEN ${WHOLE_LIMIT} WHEN ${v} < -${WHOLE_LIMIT} THEN -${WHOLE_LIMIT} ELSE CAST(${v} AS BIGINT) END`;

/**
 * substr(text, start, length) as DuckDB computes it for text that may hold non-ASCII characters: the characters at
 * positions start to start + length (before start for a negative length), of those the text has. DuckDB's own substr
 * computes it so only when the column's statistics allow non-ASCII text (and for constants); on a column of ASCII
 * text it first moves a start outside the text to its nearest end, so substr(s, -5, 2) of 'abc' was 'ab' there and
 * '' for 'abé'. Written with the start inside the text and a positive length, both agree.
 */
function substrWithin(text: string, start: string, length: string): string {
  const body = (v: string, o: string, n: string) => {
    const size = `length(${v})`;
    const first = `CASE WHEN ${o} > 0 THEN ${o} - 1 WHEN ${o} < 0 THEN ${size} + ${o} ELSE 0 END`;
    // A start of 0 counts as 1 with one character fewer.
    const count = `CASE WHEN ${o} = 0 THEN ${n} - 1 ELSE ${n} END`;
    const lo = `greatest(CASE WHEN ${count} > 0 THEN ${first} ELSE ${first} + ${count} END, 0)`;
    const hi = `least(CASE WHEN ${count} > 0 THEN ${first} + ${count} ELSE ${first} END, ${size})`;
    return `CASE WHEN ${v} IS NULL OR ${o} IS NULL OR ${n} IS NULL THEN NULL WHEN ${hi} <= ${lo} THEN '' ELSE substr(${v}, ${lo} + 1, ${hi} - ${lo}) END`;
  };
  // Operands that cannot grow (a column, a constant, a column's clampWhole) are written as they are, which is faster
  // than binding them.
  const simple = (x: string) => isBareName(x) || knownWhole(x) !== undefined || clampedColumn(x);
  if (simple(text) && simple(start) && simple(length)) return body(text, start, length);
  return `list_transform([{'v': ${text}, 'o': ${start}, 'n': ${length}}], lambda r: ${body("r.v", "r.o", "r.n")})[1]`;
}

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
  parseJson: (sql) => bindOnce(sql, (v) => `CASE WHEN json_valid(${v}) THEN CAST(${v} AS JSON) END`),
  raise: (message) => `error(${message})`,

  // Not nullif or a CASE over `x` itself: see bindOnce.
  finite: (x) => bindOnce(x, (v) => `CASE WHEN isfinite(${v}) THEN ${v} END`),
  // The remainder of the smallest BIGINT by -1 is 0, which DuckDB's BIGINT % raises as an overflow (try would make it
  // null): a HUGEINT dividend gives it, and every other remainder is the same and fits a BIGINT.
  arithmetic: (op, l, r, whole) =>
    whole ? (op === "%" ? `try(CAST(CAST(${l} AS HUGEINT) % ${r} AS BIGINT))` : `try(${l} ${op} ${r})`) : duckdbDialect.finite(`(${l} ${op} ${r})`),
  negateWhole: (sql) => `try(-(${sql}))`,
  absWhole: (sql) => `try(abs(${sql}))`,
  // No nullif(divisor, 0), which would repeat the divisor (see finite): a double divided by zero is infinite or
  // NaN, which finite() nulls.
  divide: (l, r) => duckdbDialect.finite(`(${l} / ${r})`),
  // power(x, 0.5) gives NaN (not an error) for negative x, which finite() turns into null.
  power: (a, b) => duckdbDialect.finite(`power(${a}, ${b})`),
  round: (sql, digits) => `round(${sql}, CAST(${digits} AS INTEGER))`,
  // Not least(greatest(…)), which ignores a null.
  clampWhole: (sql) => clampConstant(sql) ?? bindOnce(sql, clamp),

  // DuckDB orders text by code point (its default collation is binary).
  textOrder: (text) => text,
  textOrdered: (text) => text,
  changeCase: (to, text) => `${to}(${text})`,
  contains: (a, b) => `contains(${a}, ${b})`,
  startsWith: (a, b) => `starts_with(${a}, ${b})`,
  endsWith: (a, b) => `ends_with(${a}, ${b})`,
  textEnd: (side, text, n) => `${side}(${text}, ${n})`,
  // A start from 1 and a positive length (constants, the common case) are the same whichever way DuckDB computes.
  substr: (a, s, n) => {
    const start = knownWhole(s);
    const length = n === undefined ? undefined : knownWhole(n);
    if (n === undefined || (start !== undefined && start > 0 && length !== undefined && length > 0)) return `substr(${a}, ${s}${n === undefined ? "" : `, ${n}`})`;
    // The last characters (a constant negative start and positive length), also common: to the end, it is the
    // two-argument substr; else the text's start is needed only when the text is shorter than -start.
    if (start !== undefined && start < 0 && length !== undefined && length > 0) {
      if (length >= -start) return `substr(${a}, ${s})`;
      return bindOnce(a, (v) => `CASE WHEN length(${v}) >= ${-start} THEN substr(${v}, ${s}, ${n}) ELSE left(${v}, greatest(length(${v}) - ${-(start + length)}, 0)) END`);
    }
    return substrWithin(a, s, n);
  },
  concat: (args) => `concat(${args.join(", ")})`,
  regexMatches: (text, pattern, ignoreCase) => `regexp_matches(${text}, ${quoteLiteral(pattern)}${ignoreCase ? ", 'i'" : ""})`,
  regexReplace: (text, pattern, replacement) => `regexp_replace(${text}, ${quoteLiteral(pattern)}, ${replacement}, 'g')`,
  trimSpaces: (text) => `regexp_replace(${text}, '^${SPACE}+|${SPACE}+$', '', 'g')`,
  trimSpaceSeparators: (text) => `trim(${text})`,
  collapseSpaces: (text) => `regexp_replace(${text}, '${SPACE}+', ' ', 'g')`,
  titleCase: (text) => `array_to_string(list_transform(regexp_extract_all(${text}, '[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+'), lambda w: upper(w[1]) || lower(w[2:])), '')`,
  stripNonPrintable: (text) => `regexp_replace(${text}, '[\\p{Cc}\\p{Cf}]', '', 'g')`,
  nullIf: (sql, values) => (values.length ? bindOnce(sql, (v) => `CASE WHEN ${v} IN (${values.join(", ")}) THEN NULL ELSE ${v} END`) : sql),

  datePart: (part, sql) => `${part}(${sql})`,
  dateTrunc: (unit, sql, result) => {
    const truncated = (v: string) => `CAST(date_trunc(${quoteLiteral(unit)}, ${v}) AS ${result === "date" ? "DATE" : "TIMESTAMP"})`;
    // Of a date, date_trunc gives a timestamp that is cast back: stepping back to the 1st is the same date at about a
    // third of the cost (5M dates, docs/benchmarks.md). Outside the years 1 to 9999 (infinity, or out of the
    // timestamp range) date_trunc's own result stands.
    if (result !== "date" || unit.toLowerCase() !== "month") return truncated(sql);
    return bindOnce(sql, (v) => `CASE WHEN ${v} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN ${v} - CAST(day(${v}) - 1 AS INTEGER) ELSE ${truncated(v)} END`);
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
  distinctBy: (sql) => sql,
  fittingDecimalSum: (sql, t) => {
    const scale = t.scale ?? 3;
    const largest = `${"9".repeat(38 - scale)}${scale ? `.${"9".repeat(scale)}` : ""}`;
    const type = `DECIMAL(38, ${scale})`;
    const message = `A sum is beyond the 38 digits a decimal(38, ${scale}) holds.`;
    return `CASE WHEN ${sql} IS NULL OR abs(${sql}) <= CAST('${largest}' AS ${type}) THEN ${sql} ELSE error(${quoteLiteral(message)}) END`;
  },
  minMax: (fn, sql, _t, filter) => `${fn}(${sql})${filter ? ` FILTER (WHERE ${filter})` : ""}`,
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
