import { z } from "zod";
import type { AnyNodeDefinition } from "./node-definition.ts";

/** Schema keywords that only document: rewording them changes no config's meaning, so they are left out. */
const ANNOTATIONS = new Set(["description", "title", "examples"]);
/** Keywords whose value is a map of name to schema, a schema, or a list of schemas. */
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions", "patternProperties", "dependentSchemas"]);
const SCHEMA_VALUES = new Set(["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"]);
const SCHEMA_LISTS = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);

const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
};

/** One schema node: annotations dropped, `required` as a set (sorted), sub-schemas the same way, keys sorted. */
function normalize(schema: unknown): unknown {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema).sort()) {
    const value = (schema as Record<string, unknown>)[key];
    if (ANNOTATIONS.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, normalize((value as Record<string, unknown>)[name])]),
      );
    } else if (SCHEMA_VALUES.has(key)) out[key] = normalize(value);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(normalize);
    else if (key === "required" && Array.isArray(value)) out[key] = [...value].sort();
    else out[key] = sortedKeys(value);
  }
  return out;
}

/**
 * What a node's saved settings may look like, as the text of its schema snapshot: the JSON Schema of its config
 * as input (defaults and optional fields included), in a stable key order. Help texts are left out: rewording one
 * does not change which configs are valid or what they mean, so it needs no new version.
 */
export function configSchemaSnapshot(def: Pick<AnyNodeDefinition, "configSchema">): string {
  return `${JSON.stringify(normalize(z.toJSONSchema(def.configSchema, { io: "input" })), null, 2)}\n`;
}

export const snapshotFileName = (type: string, version: number) => `${type}.v${version}.json`;

/** Where things are, for messages that say what to do. */
export interface SnapshotPaths {
  /** The node's own file, e.g. packages/pipeline/src/nodes/clean/filter.node.ts. */
  nodeFile: string;
  /** The snapshot test, to run in update mode. */
  testFile: string;
}

/**
 * Problems of one node type against its snapshots (by version, as stored): the snapshot of its current version
 * must match its schema, and every older version's must still be there. Empty when all is well.
 */
export function snapshotProblems(def: Pick<AnyNodeDefinition, "type" | "version" | "configSchema">, snapshots: ReadonlyMap<number, string>, paths: SnapshotPaths): string[] {
  const { type, version } = def;
  const update = `UPDATE_SCHEMA_SNAPSHOTS=1 npx vitest run ${paths.testFile}`;
  const problems: string[] = [];
  const current = snapshots.get(version);
  if (current === undefined) {
    problems.push(
      `node "${type}" is at version ${version} but has no schema snapshot for it: write it with ${update}, and commit it with the node` +
        (version > 1 ? ` (and its migration { from: ${version - 1}, up })` : ""),
    );
  } else if (current !== configSchemaSnapshot(def)) {
    const next = version + 1;
    problems.push(
      `node "${type}" config schema changed but its version is still ${version}: bump version to ${next} in ${paths.nodeFile}, ` +
        `add a migration { from: ${version}, up } that turns version-${version} settings into version-${next} settings, ` +
        `and write the new snapshot with ${update} (if the change is a mistake, undo it instead; ${snapshotFileName(type, version)} stays as it is)`,
    );
  }
  for (let v = 1; v < version; v++) {
    if (!snapshots.has(v)) {
      problems.push(`node "${type}" has no schema snapshot of version ${v}: old snapshots are kept, as old files of that version still load; restore ${snapshotFileName(type, v)} from git history`);
    }
  }
  for (const v of snapshots.keys()) {
    if (v > version) problems.push(`node "${type}" has a schema snapshot of version ${v} but is at version ${version}: a version, once released, is never taken back`);
  }
  return problems;
}

/**
 * What update mode writes: only the current version's snapshot, and only when it is missing. A snapshot that
 * exists is never overwritten, since saved pipelines of that version are what it describes.
 */
export function snapshotToWrite(def: Pick<AnyNodeDefinition, "type" | "version" | "configSchema">, snapshots: ReadonlyMap<number, string>): { file: string; text: string } | undefined {
  if (snapshots.has(def.version)) return undefined;
  return { file: snapshotFileName(def.type, def.version), text: configSchemaSnapshot(def) };
}
