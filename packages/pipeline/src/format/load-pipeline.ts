import { type Issue, type MigrationNote, type PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "../catalog/registry.ts";
import { canonicalizeGraph } from "../graph/canonicalize-graph.ts";
import { parseGraph } from "../graph/parse-graph.ts";
import { FORMAT_MIGRATIONS, runFormatMigrations, type FormatMigration } from "./format-migrations.ts";
import { migrateNodes, type NodeLookup } from "./node-migrations.ts";

export type LoadResult = { ok: true; graph: PipelineGraph; migrated: MigrationNote[] } | { ok: false; issues: Issue[] };

/** What a loader runs against: the catalog and the format's migrations; tests swap in their own. */
export interface LoadOptions {
  lookup?: NodeLookup;
  formatMigrations?: readonly FormatMigration[];
  /** The format version migrations lead to; only tests of a pretend format history set it. */
  currentFormat?: number;
}

export interface MigratedPipeline {
  /** The document with the format and every node it could bring up to date; not parsed yet. */
  document: unknown;
  migrated: MigrationNote[];
  issues: Issue[];
  /** Indexes of nodes left as stored because they could not be migrated (their issue is in `issues`). */
  failedNodes: number[];
  /** The format could not be read or migrated: nothing else in the document was looked at. */
  unreadable: boolean;
}

/**
 * Migrations only: the format's, then each node's. For analysis of untrusted graphs (validation, previews), which
 * report every problem at once; loadPipeline is the strict form.
 */
export function migratePipeline(json: unknown, options: LoadOptions = {}): MigratedPipeline {
  const format = runFormatMigrations(json, options.formatMigrations ?? FORMAT_MIGRATIONS, options.currentFormat);
  if (!format.ok) return { document: json, migrated: [], issues: format.issues, failedNodes: [], unreadable: true };
  const nodes = migrateNodes(format.document, options.lookup ?? getNodeDefinition);
  return { document: nodes.document, migrated: nodes.migrated, issues: nodes.issues, failedNodes: nodes.failed, unreadable: false };
}

/**
 * THE way untrusted JSON becomes a current pipeline: format migrations, then each node's migrations from its
 * `typeVersion` (absent: 1) to its type's current version, then the model's schema, in canonical key order with
 * `typeVersion` on every node of a known type. Configs are not checked against their types here (a draft may be
 * incomplete); validateGraph does that. Pure: `json` is not changed.
 */
export function loadPipeline(json: unknown, options: LoadOptions = {}): LoadResult {
  const m = migratePipeline(json, options);
  if (m.issues.length) return { ok: false, issues: m.issues };
  const parsed = parseGraph(m.document);
  if (!parsed.graph || parsed.issues.length) return { ok: false, issues: parsed.issues };
  return { ok: true, graph: canonicalizeGraph(parsed.graph), migrated: m.migrated };
}
