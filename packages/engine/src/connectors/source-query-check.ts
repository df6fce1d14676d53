import { error, fail, ok, type Issue, type Result } from "@sluice/model";
import { isSystemSchema, SYSTEM_SCHEMAS } from "@sluice/pipeline";
import { byteSlice, parsePostgres, treeObjects, withoutPositions } from "./pg-parser.ts";
import { isRefusedFunction } from "./refused-functions.ts";

/**
 * The authoritative check of what a postgres source sends, made with PostgreSQL's own parser:
 *
 * 1. `checkSourceQuery`: the text is exactly one SELECT (plain, set operation, VALUES, or WITH … SELECT),
 *    with no data-modifying WITH, no SELECT … INTO, no FOR UPDATE/SHARE, no relation in PostgreSQL's or
 *    Sluice's own schemas, no refused function (refused-functions.ts).
 * 2. `proveWrapped`: the exact text sent, the checked query wrapped by Sluice, is again one statement of
 *    the expected kind whose subquery is the checked query, unchanged. So what PostgreSQL receives is
 *    proven, by its own grammar, to be that one statement; and it travels over the extended protocol, where
 *    the server refuses a second statement anyway.
 */
export interface CheckedQuery {
  /** The statement alone: without a trailing semicolon or what follows it. */
  sql: string;
  /** Its parse tree, which the wrapped text must contain unchanged. */
  tree: Record<string, unknown>;
}

type Where = { nodeId: string; field: string };

/** "DeleteStmt" → "DELETE", "CreateTableAsStmt" → "CREATE TABLE AS": what people call the statement. */
const statementName = (nodeType: string) =>
  nodeType
    .replace(/Stmt$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toUpperCase();

function position(sql: string, offset: number): string {
  const before = sql.slice(0, offset).split(/\r\n|\r|\n/);
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

const DATA_MODIFYING = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);

/** What in a SELECT's tree makes it unfit for a source; duplicates left out. */
function treeIssues(select: Record<string, unknown>, where: Where): Issue[] {
  const found = new Map<string, Issue>();
  const add = (code: string, message: string) => found.set(message, error(code, message, where));
  for (const [key, node] of treeObjects(select)) {
    if (DATA_MODIFYING.has(key)) {
      add("SQL_NOT_READ_ONLY", `A source only reads: ${statementName(key)} inside WITH changes data. Move the change out of the pipeline's source.`);
    } else if (key === "intoClause") {
      add("SQL_NOT_READ_ONLY", "SELECT … INTO creates a table, which a source may not do: remove INTO and its table name.");
    } else if (key === "LockingClause") {
      add("SQL_NOT_READ_ONLY", "FOR UPDATE / FOR SHARE locks rows, which a source may not do: remove the locking clause.");
    }
    // A relation, wrapped as RangeVar or bare (as in INTO's table): recognised by its shape.
    if (typeof node.relname === "string") {
      const schema = typeof node.schemaname === "string" ? node.schemaname : undefined;
      if (schema !== undefined && isSystemSchema(schema)) {
        add("SYSTEM_SCHEMA_REFUSED", `The query reads "${schema}"."${node.relname}": schema "${schema}" belongs to PostgreSQL or to Sluice itself (${SYSTEM_SCHEMAS}), and a source may not read it.`);
      } else if (schema === undefined && node.relname.toLowerCase().startsWith("pg_")) {
        add(
          "SYSTEM_SCHEMA_REFUSED",
          `The query reads "${node.relname}" without a schema, and PostgreSQL looks such names up in pg_catalog first, which a source may not read. If it is your own table, write its schema, e.g. public."${node.relname}".`,
        );
      }
    }
    if (Array.isArray(node.funcname)) {
      const last = node.funcname[node.funcname.length - 1] as { String?: { sval?: string } } | undefined;
      const name = last?.String?.sval;
      if (name !== undefined && isRefusedFunction(name)) {
        add("SQL_FUNCTION_REFUSED", `A source may not call ${name}(): it reaches files, settings, sessions or SQL beyond the query. Remove the call.`);
      }
    }
  }
  return [...found.values()];
}

/** Checks a source's text: exactly one read-only SELECT (see above). Issues are on `where`. */
export async function checkSourceQuery(sql: string, where: Where): Promise<Result<CheckedQuery>> {
  // The parser, like the server, reads a C string: it would stop at a NUL and never see what follows it.
  const nul = sql.indexOf("\u0000");
  if (nul !== -1) {
    return fail(error("SQL_SYNTAX", `The query contains a NUL character (U+0000) at ${position(sql, nul)}, which PostgreSQL cannot receive; remove it.`, where));
  }
  const parsed = await parsePostgres(sql);
  if (!parsed.ok) {
    const at = parsed.offset === undefined ? "" : ` (${position(sql, parsed.offset)})`;
    return fail(error("SQL_SYNTAX", `PostgreSQL cannot read the query: ${parsed.message}${at}.`, where));
  }
  const stmts = parsed.tree.stmts ?? [];
  if (stmts.length === 0) return fail(error("SQL_REQUIRED", "Write a SELECT query.", where));
  if (stmts.length > 1) {
    return fail(error("SQL_MULTIPLE_STATEMENTS", `The text holds ${stmts.length} statements; a source runs exactly one SELECT. Remove the others.`, where));
  }
  const raw = stmts[0]!;
  const [kind, select] = Object.entries(raw.stmt ?? {})[0] ?? ["", undefined];
  if (kind !== "SelectStmt" || typeof select !== "object" || select === null) {
    return fail(error("SQL_NOT_SELECT", `A source runs one SELECT (or WITH … SELECT); this is ${kind ? `a ${statementName(kind)} statement` : "not a query"}.`, where));
  }
  const issues = treeIssues(select as Record<string, unknown>, where);
  if (issues.length) return fail(...issues);
  const start = raw.stmt_location ?? 0;
  const text = byteSlice(sql, start, raw.stmt_len ? start + raw.stmt_len : undefined);
  return ok({ sql: text, tree: select as Record<string, unknown> });
}

/** The one subquery in FROM of a SELECT our wrapper made: `SELECT … FROM (<query>) AS q …`. */
function wrappedSubquery(select: unknown): unknown {
  const from = (select as { fromClause?: unknown[] } | undefined)?.fromClause;
  if (!from || from.length !== 1) return undefined;
  return (from[0] as { RangeSubselect?: { subquery?: { SelectStmt?: unknown } } }).RangeSubselect?.subquery?.SelectStmt;
}

/**
 * Proves that `text`, as PostgreSQL will read it, is one statement: a SELECT (`shape` "select") or a
 * `COPY (SELECT …) TO STDOUT` (`shape` "copy": not to a file, not to a program), over exactly the checked
 * query. A text failing this is refused; it would mean the wrapper let the query change its meaning.
 */
export async function proveWrapped(text: string, shape: "select" | "copy", query: CheckedQuery, where: Where): Promise<Result<string>> {
  const refused = fail<string>(error("SQL_NOT_SELECT", "Wrapped for reading, the query no longer parses as the one SELECT it was; simplify its ending (comments, unusual tokens).", where));
  const parsed = await parsePostgres(text);
  if (!parsed.ok || parsed.tree.stmts?.length !== 1) return refused;
  const stmt = parsed.tree.stmts[0]!.stmt ?? {};
  let select: unknown;
  if (shape === "select") {
    select = stmt.SelectStmt;
  } else {
    const copy = stmt.CopyStmt as { query?: { SelectStmt?: unknown }; relation?: unknown; is_from?: boolean; is_program?: boolean; filename?: string } | undefined;
    if (!copy || copy.relation !== undefined || copy.is_from || copy.is_program || copy.filename !== undefined) return refused;
    select = copy.query?.SelectStmt;
  }
  const inner = wrappedSubquery(select);
  return inner !== undefined && withoutPositions(inner) === withoutPositions(query.tree) ? ok(text) : refused;
}
