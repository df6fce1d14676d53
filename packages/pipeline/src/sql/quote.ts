/**
 * The only two ways user input reaches generated SQL: as a quoted identifier or as a quoted literal.
 * Everything else in generated SQL is text written by us.
 */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new Error("identifier contains a NUL character");
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal; DuckDB treats backslashes literally in standard strings. */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error("literal contains a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Whether generated SQL is a bare column name (quoted as quoteIdent quotes, or plain): a builder may write it more
 * than once, since it cannot grow, where any other operand is bound once (Dialect).
 */
export function isBareName(sql: string): boolean {
  return /^(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*)$/.test(sql);
}
