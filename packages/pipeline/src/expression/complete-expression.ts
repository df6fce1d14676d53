import type { Column } from "@sluice/model";
import { FUNCTIONS } from "./functions.ts";
import { KEYWORDS } from "./parse.ts";
import type { ResolvedParameters } from "../graph/resolve-parameters.ts";

export interface Completion {
  kind: "column" | "function" | "parameter";
  /** What the list shows. */
  label: string;
  /** What replaces the text from `from` to `to`. */
  insert: string;
  /** A type for columns, a signature and description for functions. */
  detail: string;
}

const BARE = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const KEYWORD_SET = new Set<string>(KEYWORDS);

/** How to write a column in an expression: bare when it can be, else in brackets with `]` doubled. */
export function columnReference(name: string): string {
  const bare = BARE.test(name) && !KEYWORD_SET.has(name.toLowerCase());
  return bare ? name : `[${name.replaceAll("]", "]]")}]`;
}

/** Where the cursor is: in text (no completions), in a [bracketed name] or in a bare word, and what was typed. */
function context(source: string, offset: number): { state: "text" | "name" | "word"; from: number } {
  let state: "normal" | "text" | "name" = "normal";
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const ch = source[i];
    if (state === "normal") {
      if (ch === "'" || ch === "[") {
        state = ch === "'" ? "text" : "name";
        start = i;
      }
    } else if ((state === "text" && ch === "'") || (state === "name" && ch === "]")) {
      // A doubled delimiter before the cursor stays inside; a single one closes.
      if (source[i + 1] === ch && i + 1 < offset) i++;
      else state = "normal";
    }
  }
  if (state !== "normal") return { state, from: start };
  let from = offset;
  while (from > 0 && /[\p{L}\p{N}_]/u.test(source[from - 1]!)) from--;
  return { state: "word", from };
}

/**
 * Completions at a cursor offset (UTF-16, as editors count): columns, and in a bare word also functions.
 * Names that start with what was typed come first, then names that contain it.
 */
export function completeExpression(
  source: string,
  offset: number,
  columns: readonly Column[],
  params: ResolvedParameters = new Map(),
): { from: number; to: number; items: Completion[] } {
  const ctx = context(source, offset);
  if (ctx.state === "text") return { from: offset, to: offset, items: [] };
  const typed = (ctx.state === "name" ? source.slice(ctx.from + 1, offset).replaceAll("]]", "]") : source.slice(ctx.from, offset)).toLowerCase();
  const rank = (label: string) => (label.toLowerCase().startsWith(typed) ? 0 : label.toLowerCase().includes(typed) ? 1 : 2);
  const items: Completion[] = [
    ...columns.map((c): Completion => ({ kind: "column", label: c.name, insert: columnReference(c.name), detail: c.type })),
    ...(ctx.state === "word"
      ? [
          ...[...params].map(([name, p]): Completion => ({ kind: "parameter", label: name, insert: `param('${name}')`, detail: `parameter, ${p.type}, now ${JSON.stringify(p.value)}` })),
          ...Object.entries(FUNCTIONS).map(([name, fn]): Completion => ({ kind: "function", label: name, insert: `${name}(`, detail: `${fn.signature}: ${fn.description}` })),
          { kind: "function" as const, label: "param", insert: "param('", detail: "param('name'): the value of a pipeline parameter for this run (its default in previews)" },
        ]
      : []),
  ];
  const ranked = items.filter((i) => rank(i.label) < 2).sort((a, b) => rank(a.label) - rank(b.label));
  // In brackets, the closing bracket (if already typed) is replaced too.
  const to = ctx.state === "name" && source[offset] === "]" ? offset + 1 : offset;
  return { from: ctx.from, to, items: ranked };
}
