import type { Request } from "express";
import { AppError } from "./app-error.ts";

/**
 * How deeply a request's JSON may nest (objects and arrays). Real bodies stay under 20 (a filter node's condition
 * groups are the deepest); past this, recursive code later on (JSON.stringify for jsonb, canonicalizing a graph)
 * runs out of stack, so the request is refused before anything recursive sees it.
 */
export const MAX_INPUT_DEPTH = 64;

export type InputHazardCode = "NUL_CHARACTER" | "LONE_SURROGATE" | "NUMBER_OUT_OF_RANGE" | "TOO_DEEPLY_NESTED";

export interface InputHazard {
  code: InputHazardCode;
  /** Where, from the root: keys and array indexes. */
  path: (string | number)[];
  message: string;
}

/** A UTF-16 surrogate without its other half: not a character, and PostgreSQL refuses it in jsonb. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type TextHazard = "NUL_CHARACTER" | "LONE_SURROGATE";

function textHazard(s: string): TextHazard | undefined {
  if (s.includes("\u0000")) return "NUL_CHARACTER";
  if (LONE_SURROGATE.test(s)) return "LONE_SURROGATE";
  return undefined;
}

const TEXT_MESSAGES: Record<TextHazard, string> = {
  NUL_CHARACTER: "contains a NUL character (\\u0000), which text cannot hold here; remove it",
  LONE_SURROGATE: "contains half of a UTF-16 surrogate pair (\\ud800-\\udfff alone), which is not a character; send valid Unicode",
};

interface Frame {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
  /** Set when the key itself is bad; reported when the walk reaches it, so hazards come in document order. */
  keyHazard?: TextHazard | undefined;
}

function pathOf(f: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Frame | undefined = f; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * The first value in a parsed request that the rest of the server must never see: text PostgreSQL cannot store,
 * a number JSON turned into Infinity, or nesting deeper than `maxDepth`. Walks with its own stack, so any depth
 * is safe to inspect; reports in document order.
 */
export function findInputHazard(root: unknown, maxDepth = MAX_INPUT_DEPTH): InputHazard | undefined {
  const stack: Frame[] = [{ value: root, depth: 0, key: undefined, parent: undefined }];
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.value;
    if (f.keyHazard) {
      return { code: f.keyHazard, path: pathOf(f), message: `is a key that ${TEXT_MESSAGES[f.keyHazard]}` };
    } else if (typeof v === "string") {
      const code = textHazard(v);
      if (code) return { code, path: pathOf(f), message: TEXT_MESSAGES[code] };
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return { code: "NUMBER_OUT_OF_RANGE", path: pathOf(f), message: "is a number too large to represent (it overflows a double); send a smaller one" };
    } else if (typeof v === "object" && v !== null) {
      if (f.depth >= maxDepth) {
        return { code: "TOO_DEEPLY_NESTED", path: pathOf(f), message: `is nested more than ${maxDepth} levels deep; flatten it` };
      }
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!;
        stack.push({ value, depth: f.depth + 1, key, parent: f, keyHazard: typeof key === "string" ? textHazard(key) : undefined });
      }
    }
  }
  return undefined;
}

/** "body.graph.nodes.0.config", with long paths shortened in the middle and unprintable characters escaped. */
export function fieldName(where: string, path: readonly (string | number)[]): string {
  const shown = path.length > 12 ? [...path.slice(0, 8), "…", ...path.slice(-3)] : path;
  return [where, ...shown.map((p) => JSON.stringify(String(p)).slice(1, -1))].join(".");
}

/**
 * Refuses a request whose path parameters, query or JSON body hold a hazard (see findInputHazard), naming the field.
 * Called for every route before its schemas parse anything.
 */
export function guardInput(req: Pick<Request, "params" | "query" | "body">): void {
  for (const where of ["params", "query", "body"] as const) {
    const hazard = findInputHazard(req[where]);
    if (!hazard) continue;
    const field = fieldName(where, hazard.path);
    throw new AppError(400, hazard.code, `The request is not valid. ${field} ${hazard.message}.`, { problems: [{ field, message: hazard.message }] });
  }
}
