import type { Issue } from "@sluice/model";
import { joinPath } from "./config-path.ts";
import { LIST_PAGE, TEXTS_PAGE, type FieldSpec } from "./form-model.ts";

/** Where the inspector shows each problem: beside a field it draws, or at the top when no field fits. */
export interface PlacedProblems {
  at: ReadonlyMap<string, Issue[]>;
  rest: Issue[];
}

export const noProblems: PlacedProblems = { at: new Map(), rest: [] };

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every path at which the generic form shows problems for this value: one per field, list and list item. */
export function formPaths(spec: FieldSpec, value: unknown, path = ""): string[] {
  switch (spec.kind) {
    case "const":
      return [];
    case "object": {
      const v = asRecord(value);
      return spec.fields.flatMap((f) => formPaths(f.spec, v[f.key] ?? f.default, joinPath(path, f.key)));
    }
    case "variants": {
      const v = asRecord(value);
      const current = spec.variants.find((x) => x.value === v[spec.discriminator]) ?? spec.variants[0];
      return [joinPath(path, spec.discriminator), ...(current ? formPaths(current.spec, v, path) : [])];
    }
    // Items past the first page may be hidden: their problems go to the list, which is always drawn.
    case "list":
      return [path, ...asArray(value).slice(0, LIST_PAGE).flatMap((item, i) => [joinPath(path, i), ...formPaths(spec.item, item, joinPath(path, i))])];
    case "texts":
    case "scalars":
      return [path, ...asArray(value).slice(0, TEXTS_PAGE).map((_, i) => joinPath(path, i))];
    default:
      return [path];
  }
}

/** The paths filter's condition builder draws: each group and each rule (a rule shows its own fields' problems). */
export function conditionPaths(condition: unknown, path = "condition"): string[] {
  const c = asRecord(condition);
  if (c.kind === "expression") return [joinPath(path, "expression")];
  if (c.kind !== "group") return [path];
  return [path, ...asArray(c.conditions).flatMap((x, i) => conditionPaths(x, joinPath(path, `conditions.${i}`)))];
}

/**
 * Puts each problem at the deepest drawn path equal to its field or containing it ("keys.0" goes to "keys" when
 * the keys are one multi-select); problems without a field, or about nothing drawn, go to the top.
 */
export function placeProblems(problems: readonly Issue[], paths: Iterable<string>): PlacedProblems {
  const drawn = new Set([...paths].filter((p) => p !== ""));
  const at = new Map<string, Issue[]>();
  const rest: Issue[] = [];
  for (const p of problems) {
    let field = p.field ?? "";
    while (field !== "" && !drawn.has(field)) field = field.includes(".") ? field.slice(0, field.lastIndexOf(".")) : "";
    if (field === "") rest.push(p);
    else at.set(field, [...(at.get(field) ?? []), p]);
  }
  return { at, rest };
}

/** Problems placed exactly at this path. */
export const problemsAt = (placed: PlacedProblems, path: string): Issue[] => placed.at.get(path) ?? [];
