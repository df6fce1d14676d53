import { error, nodeIdSchema, type Issue, type MigrationNote } from "@sluice/model";
import type { AnyNodeDefinition } from "../catalog/node-definition.ts";

export type NodeLookup = (type: string) => AnyNodeDefinition | undefined;

export interface MigratedNodes {
  /** The document with each readable node's config at its type's current version and `typeVersion` filled in. */
  document: unknown;
  migrated: MigrationNote[];
  /** NODE_VERSION_TOO_NEW and NODE_MIGRATION_FAILED, one per node that could not be brought up to date. */
  issues: Issue[];
  /** Indexes in `nodes` of those nodes; they are left exactly as stored. */
  failed: number[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function describe(node: Record<string, unknown>, def: AnyNodeDefinition): { nodeId?: string; name: string } {
  const id = nodeIdSchema.safeParse(node.id);
  return id.success ? { nodeId: id.data, name: `Node \`${id.data}\` (${def.label})` } : { name: `A ${def.label} node` };
}

/** The config of `from` brought to `to`, one declared migration at a time; each gets its own copy. */
function upgrade(def: AnyNodeDefinition, config: Record<string, unknown>, from: number, to: number): Record<string, unknown> {
  let current = config;
  for (let v = from; v < to; v++) {
    const step = def.migrations?.find((m) => m.from === v);
    // The registry test checks every type declares 1..version-1, so a gap is a bug in the catalog, not in the file.
    if (!step) throw new Error(`${def.type} has no migration from version ${v}`);
    const next = step.up(structuredClone(current));
    if (!isRecord(next)) throw new Error(`migration from version ${v} did not return settings`);
    current = next;
  }
  return current;
}

/**
 * Brings every node whose type is known from its `typeVersion` (absent: 1) to its type's current version. Nodes of
 * unknown types and malformed nodes are left for parsing and validation to report; the input is not changed.
 */
export function migrateNodes(document: unknown, lookup: NodeLookup): MigratedNodes {
  const none = { document, migrated: [], issues: [], failed: [] };
  if (!isRecord(document) || !Array.isArray(document.nodes)) return none;
  const migrated: MigrationNote[] = [];
  const issues: Issue[] = [];
  const failed: number[] = [];
  const nodes = document.nodes.map((node: unknown, at) => {
    if (!isRecord(node) || typeof node.type !== "string" || !isRecord(node.config)) return node;
    const def = lookup(node.type);
    const stored = node.typeVersion ?? 1;
    if (!def || typeof stored !== "number" || !Number.isInteger(stored) || stored < 1) return node;
    const { nodeId, name } = describe(node, def);
    const where = { ...(nodeId !== undefined ? { nodeId } : {}), field: "typeVersion" };
    if (stored > def.version) {
      failed.push(at);
      const message = `${name} was saved by a newer Sluice (settings version ${stored}; this Sluice knows up to ${def.version}). Upgrade Sluice to open this pipeline.`;
      issues.push(error("NODE_VERSION_TOO_NEW", message, where));
      return node;
    }
    if (stored === def.version) return { ...node, typeVersion: def.version };
    try {
      const config = upgrade(def, node.config, stored, def.version);
      const message = `${name} was saved at version ${stored} and is shown as version ${def.version}.`;
      migrated.push({ nodeId: nodeId ?? String(node.id), type: def.type, from: stored, to: def.version, message });
      return { ...node, typeVersion: def.version, config };
    } catch (cause) {
      failed.push(at);
      const why = cause instanceof Error ? cause.message : String(cause);
      const message = `${name}: its stored settings (version ${stored}) could not be brought up to date to version ${def.version} (${why}). Set the node up again, or open the pipeline in the Sluice that saved it.`;
      issues.push(error("NODE_MIGRATION_FAILED", message, where));
      return node;
    }
  });
  return { document: { ...document, nodes }, migrated, issues, failed };
}
