/**
 * A lexical check that a Postgres query is one SELECT (or WITH … SELECT) statement. It is the first of
 * three guards: the engine also wraps the query as a subquery (so a second statement is a syntax error)
 * and runs it in a READ ONLY transaction (so a data-modifying CTE or function fails).
 */
export type ReadOnlySqlCheck =
  | { ok: true; sql: string }
  | { ok: false; code: "SQL_REQUIRED" | "SQL_NOT_SELECT" | "SQL_MULTIPLE_STATEMENTS" | "SQL_UNTERMINATED"; message: string };

interface Scan {
  /** Index of the first top-level semicolon, if any. */
  semicolon: number | undefined;
  /** Whether anything but whitespace and comments follows that semicolon. */
  codeAfterSemicolon: boolean;
  firstWord: string | undefined;
  unterminated: string | undefined;
}

const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

function scan(sql: string): Scan {
  const out: Scan = { semicolon: undefined, codeAfterSemicolon: false, firstWord: undefined, unterminated: undefined };
  let i = 0;
  /** Records a token of code: a keyword (upper-cased) or "" for anything else. */
  const code = (word: string) => {
    if (out.semicolon !== undefined) out.codeAfterSemicolon = true;
    else if (out.firstWord === undefined) out.firstWord = word;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === "/" && next === "*") {
      // Postgres block comments nest.
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") (depth++, (i += 2));
        else if (sql[i] === "*" && sql[i + 1] === "/") (depth--, (i += 2));
        else i++;
      }
      if (depth > 0) out.unterminated = "comment";
    } else if (ch === "'" || ((ch === "E" || ch === "e") && next === "'")) {
      code("");
      const backslashes = ch !== "'";
      i += backslashes ? 2 : 1;
      let closed = false;
      while (i < sql.length) {
        if (backslashes && sql[i] === "\\") i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          closed = true;
          break;
        } else i++;
      }
      if (!closed) out.unterminated = "string";
    } else if (ch === '"') {
      code("");
      const end = findClosingDoubleQuote(sql, i + 1);
      if (end === -1) {
        out.unterminated = "quoted identifier";
        i = sql.length;
      } else i = end + 1;
    } else if (ch === "$" && DOLLAR_TAG.test(sql.slice(i, i + 64))) {
      code("");
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64))![0];
      const end = sql.indexOf(tag, i + tag.length);
      if (end === -1) {
        out.unterminated = "dollar-quoted string";
        i = sql.length;
      } else i = end + tag.length;
    } else if (ch === ";") {
      if (out.semicolon === undefined) out.semicolon = i;
      else out.codeAfterSemicolon = true;
      i++;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      const m = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i))!;
      code(m[0].toUpperCase());
      i += m[0].length;
    } else {
      // Opening parentheses before the first keyword, as in "(SELECT 1) UNION (SELECT 2)", are allowed.
      if (ch !== "(") code("");
      i++;
    }
  }
  return out;
}

function findClosingDoubleQuote(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
    else if (sql[i] === '"') return i;
    else i++;
  }
  return -1;
}

export function checkReadOnlySelect(sql: string): ReadOnlySqlCheck {
  const s = scan(sql);
  if (s.unterminated) {
    return { ok: false, code: "SQL_UNTERMINATED", message: `The query has an unterminated ${s.unterminated}.` };
  }
  if (s.codeAfterSemicolon) {
    return { ok: false, code: "SQL_MULTIPLE_STATEMENTS", message: "Write one statement only; a semicolon may only end the query." };
  }
  if (s.firstWord === undefined) {
    if (s.semicolon !== undefined) {
      return { ok: false, code: "SQL_NOT_SELECT", message: "The query must start with SELECT or WITH." };
    }
    return { ok: false, code: "SQL_REQUIRED", message: "Write a SELECT query." };
  }
  if (s.firstWord !== "SELECT" && s.firstWord !== "WITH") {
    const what = s.firstWord ? `, not ${s.firstWord}` : "";
    return { ok: false, code: "SQL_NOT_SELECT", message: `Only SELECT queries can be read${what}: the query must start with SELECT or WITH.` };
  }
  return { ok: true, sql: (s.semicolon === undefined ? sql : sql.slice(0, s.semicolon)).trim() };
}
