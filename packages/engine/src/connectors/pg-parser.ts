import { loadModule, parseSync, hasSqlDetails } from "libpg-query";

/**
 * PostgreSQL's own parser (libpg_query, compiled to WebAssembly), for the decisions a hand-written lexer must
 * not make: how many statements a text holds and what they are. Offsets in its answers count UTF-8 bytes.
 */
export type ParseTree = { stmts?: { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[] };

export type Parsed = { ok: true; tree: ParseTree } | { ok: false; message: string; /** 0-based character offset */ offset: number | undefined };

let loading: Promise<void> | undefined;

export async function parsePostgres(sql: string): Promise<Parsed> {
  loading ??= loadModule();
  await loading;
  try {
    return { ok: true, tree: parseSync(sql) as ParseTree };
  } catch (e) {
    if (!hasSqlDetails(e) || !e.sqlDetails) throw e;
    const at = e.sqlDetails.cursorPosition;
    return { ok: false, message: e.sqlDetails.message, offset: at >= 0 ? charOffset(sql, at) : undefined };
  }
}

/** The character offset of a byte offset into the UTF-8 form of `text`. */
export function charOffset(text: string, byteOffset: number): number {
  return Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8").length;
}

/** The part of `text` between two byte offsets of its UTF-8 form. */
export function byteSlice(text: string, start: number, end?: number): string {
  return Buffer.from(text, "utf8").subarray(start, end).toString("utf8");
}

/** Every object in a parse tree, depth first, with the key it hangs under ("" for list items and the root). */
export function* treeObjects(node: unknown, key = ""): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const item of node) yield* treeObjects(item);
  } else if (typeof node === "object" && node !== null) {
    yield [key, node as Record<string, unknown>];
    for (const [k, v] of Object.entries(node)) yield* treeObjects(v, k);
  }
}

/** A tree as JSON without the positions, which differ when the same statement sits elsewhere in a text. */
export function withoutPositions(node: unknown): string {
  return JSON.stringify(node, (k, v: unknown) => (k === "location" || k === "stmt_location" || k === "stmt_len" ? undefined : v));
}
