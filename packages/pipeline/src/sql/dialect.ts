import type { Column, ColumnType } from "@sluice/model";

/** A column's type as SQL needs it: decimals carry precision and scale. */
export type SqlType = Pick<Column, "type" | "precision" | "scale">;

export type DatePart = "year" | "month" | "day";
export type DateUnit = "year" | "quarter" | "month" | "week" | "day" | "hour" | "minute" | "second";

/**
 * Thrown while compiling for a dialect that cannot express a setting with DuckDB's exact semantics (the reference).
 * `pushdown` (catalog/pushdown.ts) turns it into a reason shown on the node; a run on DuckDB never sees it.
 */
export class DialectUnsupported extends Error {
  constructor(
    readonly dialect: string,
    readonly reason: string,
  ) {
    super(`${dialect}: ${reason}`);
  }
}

/**
 * Everything in generated SQL that differs between engines. Node compilers and the expression compiler build their
 * SQL from these pieces and from standard SQL that every dialect reads alike (SELECT, CASE, COALESCE, window
 * OVER clauses, GROUP BY, joins), so no node holds a second copy of its SQL. DuckDB is the reference: the other
 * dialects give the same rows or throw DialectUnsupported with the reason.
 *
 * Arguments named `sql` are SQL expressions we built; `pattern` and `format` arguments are the user's raw text,
 * so that a dialect can translate (or refuse) them before quoting.
 *
 * A scalar builder writes each SQL operand once (or binds it once), unless it is a bare column name: operands nest
 * (expressions, chains of clean operations), and one written twice doubles the SQL at every level, so a short
 * expression could make a statement of gigabytes (sql/dialect-operands.test.ts).
 */
export interface Dialect {
  readonly name: "duckdb" | "postgres";
  /** Statements each session runs once before any step's SQL (helper functions, settings); none for DuckDB. */
  readonly prelude: readonly string[];
  /**
   * Whether an expression written several times in one SELECT is computed once per row (DuckDB shares them) or
   * at each place (PostgreSQL): a node that repeats a costly one computes it first in a derived table where not.
   */
  readonly sharesRepeatedExpressions: boolean;

  // Types and values
  type(t: SqlType): string;
  /** A text literal typed as text (an expression's 'quoted text'). */
  textLiteral(value: string): string;
  /** A typed literal for a JS value (null gives a typed null). */
  literal(value: unknown, t: SqlType): string;
  /** `sql` converted to `t`, or null where the value does not convert (DuckDB's TRY_CAST). */
  tryCast(sql: string, t: SqlType): string;
  /**
   * Text already matched against a strict number pattern (an optional sign, digits, an optional point and
   * fraction, an optional exponent; no separators) converted to the number type `t`, or null where it does not
   * fit (as tryCast). The match lets a dialect use a plain cast where only the range can fail.
   */
  castNumberText(text: string, t: SqlType): string;
  /** A value of type `from` as text, spelled as DuckDB spells it (doubles as 3.0, 1e+20). */
  toText(sql: string, from: ColumnType | "null"): string;
  /** A value of type `from` as JSON (retype to json from a non-text column). */
  toJson(sql: string, from: ColumnType): string;
  /** Text that is valid JSON as a JSON value, else null. */
  parseJson(sql: string): string;
  /** An expression of type `t` that raises `message` (text SQL) as the query's error when evaluated. */
  raise(message: string, t: SqlType): string;

  // Numbers
  /** A double that is infinite or NaN, or an operation on doubles that overflows, becomes null. */
  finite(sql: string): string;
  /**
   * `left op right` over two BIGINTs (`whole`) or two doubles: a whole result that overflows 64 bits, a double that
   * is not finite, and % by zero give null.
   */
  arithmetic(op: "+" | "-" | "*" | "%", left: string, right: string, whole: boolean): string;
  /** -x and abs(x) of a BIGINT; null where the result overflows. */
  negateWhole(sql: string): string;
  absWhole(sql: string): string;
  /** Double division; division by zero is null. Both operands are doubles. */
  divide(left: string, right: string): string;
  /** power(base, exponent) over doubles; null where the result is not a finite number. */
  power(base: string, exponent: string): string;
  /** A double rounded to `digits` decimals, halves away from zero. */
  round(sql: string, digits: string): string;
  /**
   * A number that counts characters or digits (substr's start and length, left's and right's n, round's digits) as a
   * BIGINT within ±2147483647, doubles rounded halves to even, null kept: past that every text and double gives the
   * same result, where the engines' own casts and string functions fail the query (each its own way).
   */
  clampWhole(sql: string): string;

  // Text
  /**
   * A text operand that is ordered or compared by size (ORDER BY, <, between, min, max, least, greatest): by code
   * point, as DuckDB orders text ("B" < "a"), whatever collation the column or the database has (PostgreSQL's
   * en_US orders "a" < "B"). Equality needs none: every deterministic collation compares bytes.
   */
  textOrder(text: string): string;
  /**
   * A text value that an ordering over textOrder operands chose (min, max, least, greatest), back in the database's
   * own collation: PostgreSQL's "C" would stick to it and make a later lower() or upper() ASCII-only.
   */
  textOrdered(text: string): string;
  /**
   * Text in lower or upper case, Unicode-aware, as DuckDB cases it: its upper() makes "ß" "ẞ", where PostgreSQL's
   * keeps "ß" (or makes it "SS" under an ICU collation).
   */
  changeCase(to: "lower" | "upper", text: string): string;
  contains(text: string, part: string): string;
  startsWith(text: string, prefix: string): string;
  endsWith(text: string, suffix: string): string;
  /** The first (left) or last (right) `n` characters, `n` a BIGINT; negative `n` leaves that many out. */
  textEnd(side: "left" | "right", text: string, n: string): string;
  /** DuckDB's substr: start counts from 1, negative from the end; length optional. */
  substr(text: string, start: string, length?: string): string;
  /** concat of values of the given types, as text, skipping nulls. */
  concat(args: string[], types: (ColumnType | "null")[]): string;
  /** Whether the RE2 `pattern` (the user's text) matches anywhere in `text`. */
  regexMatches(text: string, pattern: string, ignoreCase?: boolean): string;
  /** Every match of the RE2 `pattern` replaced by `replacement` (SQL text; \1 is the first group). */
  regexReplace(text: string, pattern: string, replacement: string): string;
  /** Leading and trailing whitespace (ASCII and every Unicode space separator) removed. */
  trimSpaces(text: string): string;
  /**
   * Leading and trailing space separators (Unicode Zs: the space, no-break spaces, U+2000 to U+200A, U+3000…)
   * removed, tabs and line breaks kept: DuckDB's trim(text), the expression language's trim.
   */
  trimSpaceSeparators(text: string): string;
  /** Runs of whitespace made one space. */
  collapseSpaces(text: string): string;
  /** Runs of letters and digits: first character upper-cased, the rest lower-cased. */
  titleCase(text: string): string;
  /** Control and format characters removed. */
  stripNonPrintable(text: string): string;
  /** Null where `sql` equals one of `values` (typed literals), else `sql`. */
  nullIf(sql: string, values: string[]): string;

  // Dates
  datePart(part: DatePart, sql: string): string;
  /** The start of `unit` the value falls in, as a date or a timestamp. */
  dateTrunc(unit: string, sql: string, result: "date" | "timestamp"): string;
  dateAdd(sql: string, n: string, unit: DateUnit, result: "date" | "timestamp"): string;
  /** Unit boundaries between a and b; both of one type (date or timestamp). */
  dateDiff(unit: DateUnit, a: string, b: string): string;
  /** A date or timestamp as text in a strftime format. */
  formatDate(sql: string, format: string): string;
  /** Text read as a date with the first strftime format that matches it; null when none does. */
  parseDate(text: string, formats: string[]): string;
  /** Text read as a TIMESTAMP with one strftime format (TIMESTAMPTZ when it has %z or %Z); null when it does not match. */
  parseTimestamp(text: string, format: string): string;
  /** Text read as a naive TIMESTAMP in the engine's default format; null when it is not one. */
  tryTimestamp(text: string): string;
  /** Text with a UTC offset read as the instant, as a UTC TIMESTAMP; null when it is not one. */
  tryTimestampWithOffset(text: string): string;
  /** A naive timestamp read in `zone`, as the UTC wall time of that instant. */
  zonedToUtc(sql: string, zone: string): string;
  /** A TIMESTAMPTZ as its UTC wall time. */
  instantToUtc(sql: string): string;
  currentDate(): string;
  currentTimestamp(): string;

  // Aggregates
  /** `value` of the row with the smallest `key` among rows whose value is not null (last: the largest key). */
  argMin(value: string, key: string): string;
  argMax(value: string, key: string): string;
  /** `value` of the first row by `order`, even when null; `filter` an optional condition. */
  firstByOrder(value: string, order: string, filter?: string): string;
  /**
   * A column that rows are grouped, partitioned or told apart by (group keys, count_distinct, dedupe keys, pivot
   * columns). DuckDB compares JSON as the text it holds (`{"a": 1}` and `{"a":1}` differ); PostgreSQL's jsonb as
   * values, so there a JSON column throws DialectUnsupported.
   */
  distinctBy(sql: string, t: ColumnType): string;
  /**
   * A sum of decimals, `sql`, that must fit `t` (decimal(38, s)): beyond 38 digits the statement fails, in every
   * dialect. PostgreSQL's cast to numeric(38, s) fails by itself; DuckDB's sum would give a value of 39 digits that
   * its decimal(38, s) cannot hold, and pass it on.
   */
  fittingDecimalSum(sql: string, t: SqlType): string;
  /**
   * min or max of a column of type `t` over the rows that pass `filter` if given: text by code point (textOrder),
   * booleans false < true (PostgreSQL has no min or max of boolean: bool_and and bool_or).
   */
  minMax(fn: "min" | "max", sql: string, t: ColumnType, filter?: string): string;
  median(sql: string): string;
  stddev(sql: string): string;
  /** avg over a number column of type `t`, as a double, of the rows that pass `filter` if given. */
  avg(sql: string, t: ColumnType, filter?: string): string;
  /** string_agg of text values in `order`. */
  stringAgg(text: string, separator: string, order: string): string;

  // Relations
  /** The row-order column's value: rows numbered 1, 2, … in `order` (today a window over the whole input). */
  rowOrder(order: string): string;
  /**
   * A SELECT nested as a derived table whose computed columns later levels read, maybe more than once: each is
   * computed once (PostgreSQL would inline them into every reader, which grows exponentially over a chain).
   */
  derivedTable(select: string): string;
  /** A SELECT list of every column of a relation with `columns` but `except`. */
  allBut(columns: string[], except: string): string;
  /** Rows of `relation` ranked first by `order` within `partition` (may be ""); `columns` are its columns. */
  firstPerPartition(relation: string, columns: string[], partition: string, order: string): string;
  /**
   * `select` items over `from`, numbered 1, 2, … (as BIGINT column `rowColumn`) in `order`; `names` are the
   * output names of the items.
   */
  numbered(select: string[], names: string[], from: string, order: string, rowColumn: string): string;
  /**
   * Each row of `relation` once per entry: a SELECT of the `keep` items (each "… AS name"), `order` as "r", and the
   * entry's name, position and value, which the enclosing query reads through `field("n" | "i" | "v")`.
   */
  unpivot(relation: string, keep: string[], order: string, entries: { name: string; value: string }[]): { sql: string; field(f: "n" | "i" | "v"): string };
}
