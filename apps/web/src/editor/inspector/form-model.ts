import { z } from "zod";
import type { AnyNodeDefinition } from "@sluice/pipeline";

/**
 * A node's config form, derived from its zod config schema (through JSON Schema), so a new node type gets a
 * form without UI code. `widget` hints on the schema (see @sluice/pipeline's widgets.ts) turn text fields into
 * column, file and connection pickers.
 */
export type FieldSpec =
  /** `nonEmpty`: the schema refuses "" (min length 1), so a cleared optional text is left out rather than kept. */
  | { kind: "text"; multiline: boolean; nonEmpty?: true }
  | { kind: "number"; integer: boolean; min?: number | undefined; max?: number | undefined }
  | { kind: "boolean" }
  | { kind: "enum"; options: string[]; nullable: boolean }
  | { kind: "column"; port: string }
  | { kind: "columns"; port: string }
  | { kind: "expression"; port: string }
  | { kind: "file" }
  /** A stored connection of `connectionKind`: a Postgres database, or an HTTP credential (secret headers). */
  | { kind: "connection"; connectionKind: "postgres" | "http" }
  /** A typed-in value: text, a number, true/false or null. */
  | { kind: "scalar" }
  | { kind: "scalars" }
  | { kind: "texts" }
  | { kind: "object"; fields: FieldEntry[] }
  | { kind: "list"; item: FieldSpec }
  | { kind: "variants"; discriminator: string; variants: { value: string; spec: Extract<FieldSpec, { kind: "object" }> }[] }
  | { kind: "const"; value: unknown }
  /** Shapes the form does not cover (e.g. recursive groups): edited as JSON. */
  | { kind: "json" };

export interface FieldEntry {
  key: string;
  label: string;
  spec: FieldSpec;
  required: boolean;
  default?: unknown;
  /** The schema's description (zod `.describe()`), shown under the field: e.g. what each choice of an enum does. */
  hint?: string;
}

type Schema = Record<string, unknown>;

const LABELS: Record<string, string> = {
  as: "Output name",
  fn: "Function",
  op: "Operation",
  to: "Convert to",
  left: "Left key",
  right: "Right key",
  keys: "Keys",
  onError: "When a value does not convert",
  fileId: "File",
  pattern: "Or every file named like",
  onlyNew: "New files only",
  sourceFileColumn: "Add a _source_file column",
  connectionId: "Connection",
  credentialId: "Credential",
  sql: "SQL query",
  kind: "Kind",
};

export const humanize = (key: string) =>
  LABELS[key] ?? (key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (_, c: string) => ` ${c.toLowerCase()}`));

function resolve(s: Schema, defs: Record<string, Schema>): Schema {
  const ref = s.$ref;
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) return defs[ref.slice("#/$defs/".length)] ?? {};
  return s;
}

const isRecursive = (s: Schema) => typeof s.$ref === "string";

function specOf(raw: Schema, defs: Record<string, Schema>, seen: number): FieldSpec {
  if (seen > 6) return { kind: "json" };
  const s = resolve(raw, defs);
  const widget = (raw.widget ?? s.widget) as string | undefined;
  const port = ((raw.port ?? s.port) as string | undefined) ?? "in";
  if (widget === "column") return { kind: "column", port };
  if (widget === "columns") return { kind: "columns", port };
  if (widget === "expression") return { kind: "expression", port };
  if (widget === "file") return { kind: "file" };
  if (widget === "connection") return { kind: "connection", connectionKind: (raw.kind ?? s.kind) === "http" ? "http" : "postgres" };
  if ("const" in s) return { kind: "const", value: s.const };
  const union = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (union) {
    const options = union.map((u) => resolve(u, defs));
    const nonNull = options.filter((o) => o.type !== "null");
    if (nonNull.length === 1 && nonNull[0]!.enum) return { kind: "enum", options: (nonNull[0]!.enum as string[]).map(String), nullable: nonNull.length < options.length };
    if (nonNull.every((o) => Array.isArray(o.enum) || "const" in o)) {
      const values = nonNull.flatMap((o) => (Array.isArray(o.enum) ? (o.enum as unknown[]) : [o.const])).map(String);
      return { kind: "enum", options: [...new Set(values)], nullable: nonNull.length < options.length };
    }
    // e.g. file-sink's name: a patterned string, or "" while not named yet. Still one text field.
    if (nonNull.length === options.length && nonNull.every((o) => o.type === "string")) return { kind: "text", multiline: false };
    if (union.some(isRecursive)) return { kind: "json" };
    const objects = options.filter((o) => o.type === "object") as Schema[];
    if (objects.length === options.length) {
      const props = objects.map((o) => (o.properties ?? {}) as Record<string, Schema>);
      const discriminator = Object.keys(props[0] ?? {}).find((k) => props.every((p) => p[k] && "const" in p[k]!));
      if (discriminator) {
        return {
          kind: "variants",
          discriminator,
          variants: objects.map((o, i) => ({ value: String(props[i]![discriminator]!.const), spec: objectSpec(o, defs, seen + 1) })),
        };
      }
    }
    return { kind: "json" };
  }
  const type = s.type;
  if (Array.isArray(type)) return { kind: "scalar" };
  if (s.enum) return { kind: "enum", options: (s.enum as unknown[]).map(String), nullable: false };
  switch (type) {
    case "string":
      return { kind: "text", multiline: widget === "multiline", ...(typeof s.minLength === "number" && s.minLength > 0 ? { nonEmpty: true as const } : {}) };
    case "integer":
    case "number":
      return { kind: "number", integer: type === "integer", min: s.minimum as number | undefined, max: s.maximum as number | undefined };
    case "boolean":
      return { kind: "boolean" };
    case "object":
      return objectSpec(s, defs, seen + 1);
    case "array": {
      const items = resolve((s.items ?? {}) as Schema, defs);
      if (Array.isArray(items.type)) return { kind: "scalars" };
      if (items.type === "string" && !items.widget && !items.enum) return { kind: "texts" };
      return { kind: "list", item: specOf((s.items ?? {}) as Schema, defs, seen + 1) };
    }
    default:
      return { kind: "json" };
  }
}

function objectSpec(s: Schema, defs: Record<string, Schema>, seen: number): Extract<FieldSpec, { kind: "object" }> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required ?? []) as string[]);
  return {
    kind: "object",
    fields: Object.entries(props).map(([key, p]) => ({
      key,
      label: humanize(key),
      spec: specOf(p, defs, seen),
      required: required.has(key),
      ...("default" in p ? { default: p.default } : {}),
      ...(typeof p.description === "string" ? { hint: p.description } : {}),
    })),
  };
}

const cache = new WeakMap<AnyNodeDefinition, FieldSpec>();

/** The form of a node type's settings. */
export function formOf(def: AnyNodeDefinition): FieldSpec {
  const hit = cache.get(def);
  if (hit) return hit;
  const json = z.toJSONSchema(def.configSchema, { io: "input", unrepresentable: "any" }) as Schema;
  const spec = specOf(json, (json.$defs ?? {}) as Record<string, Schema>, 0);
  cache.set(def, spec);
  return spec;
}

/** A fresh value for a new list item or a newly chosen variant. */
export function initialValue(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case "object":
      return Object.fromEntries(
        spec.fields.filter((f) => f.required || f.default !== undefined).map((f) => [f.key, f.default !== undefined ? structuredClone(f.default) : initialValue(f.spec)]),
      );
    case "variants":
      return { ...(initialValue(spec.variants[0]!.spec) as object), [spec.discriminator]: spec.variants[0]!.value };
    case "list":
    case "columns":
    case "texts":
    case "scalars":
      return [];
    case "enum":
      return spec.nullable ? null : spec.options[0];
    case "number":
      return spec.min !== undefined && spec.min > 0 ? spec.min : 0;
    case "boolean":
      return false;
    case "const":
      return spec.value;
    case "scalar":
      return null;
    case "json":
      return {};
    case "text":
    case "column":
    case "expression":
    case "file":
    case "connection":
      return "";
    default: {
      const never: never = spec;
      return never;
    }
  }
}

/** Reads what a typed-in scalar means: a number, true/false, null, or else the text itself. */
export function parseScalar(text: string): string | number | boolean | null {
  const t = text.trim();
  if (t === "null") return null;
  if (t === "true" || t === "false") return t === "true";
  if (t !== "" && /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  return text;
}

export const formatScalar = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/**
 * The object with one field set. An optional field with no default that is cleared (undefined, or "" for a
 * column or a text that cannot be empty) is removed, since e.g. group's `as: ""` would be invalid where leaving
 * it out means "the default name". A text that may be empty keeps "" (a CSV quote of "" turns quoting off).
 */
export function withField(obj: Record<string, unknown>, field: FieldEntry, v: unknown): Record<string, unknown> {
  const next = { ...obj };
  const emptyMeansUnset = field.spec.kind === "column" || field.spec.kind === "connection" || (field.spec.kind === "text" && field.spec.nonEmpty === true);
  const cleared = v === undefined || (v === "" && emptyMeansUnset && !field.required && field.default === undefined);
  if (cleared) delete next[field.key];
  else next[field.key] = v;
  return next;
}

type ObjectSpec = Extract<FieldSpec, { kind: "object" }>;

/** Part of an object form: the fields a dedicated editor leaves to the generic one. */
export const fieldsOf = (spec: FieldSpec, keep: (key: string) => boolean): ObjectSpec => ({ kind: "object", fields: spec.kind === "object" ? spec.fields.filter((f) => keep(f.key)) : [] });

/** One field's entry of an object form. */
export function fieldOf(spec: FieldSpec, key: string): FieldEntry | undefined {
  return spec.kind === "object" ? spec.fields.find((f) => f.key === key) : undefined;
}

/**
 * How many items of a list the form draws before a "show more" button: an inline table of 1,000 rows by 100
 * columns would otherwise be 100,000 inputs, and the page would hang (the JSON editor takes any size).
 */
export const LIST_PAGE = 25;
export const TEXTS_PAGE = 100;
