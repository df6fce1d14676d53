import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { loadPipeline, type CompiledNodeStep, type CompiledPipeline, type PipelineEnvironment } from "@sluice/pipeline";

/** How a preview attempt cuts its sources. */
export interface SamplingPolicy {
  /** Rows each driving source is cut to, or undefined to read sources whole (a full attempt). */
  sourceRows: number | undefined;
  /** Rows a load (postgres, http) may bring into a preview: driving side, and non-driving side of a join. */
  loadRows: number;
  nonDrivingLoadRows: number;
  /** Sources that feed a non-driving input (a join's right side): never cut, so sampled left rows still match. */
  nonDriving: Set<string>;
}

const isSource = (s: CompiledNodeStep) => Object.values(s.inputRelations).every((rels) => rels.length === 0);

/** The row cap a step gets in this attempt, if any: part of its key, since a cut result is a different result. */
export function rowCapOf(s: CompiledNodeStep, p: SamplingPolicy): number | undefined {
  if (s.step.kind === "load") return p.nonDriving.has(s.nodeId) ? p.nonDrivingLoadRows : p.loadRows;
  if (s.step.kind === "query" && isSource(s) && !p.nonDriving.has(s.nodeId)) return p.sourceRows;
  return undefined;
}

/**
 * Sources upstream of a non-driving input: every input port of a multi-port node but its first (a join's
 * "right"). Their rows are kept whole so that a sampled driving side still finds its matches.
 */
export function nonDrivingSources(compiled: CompiledPipeline): Set<string> {
  const byRelation = new Map<string, CompiledNodeStep>();
  for (const s of compiled.steps) for (const rel of Object.values(s.relations)) byRelation.set(rel, s);
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (rel: string) => {
    const s = byRelation.get(rel);
    if (!s || seen.has(s.nodeId)) return;
    seen.add(s.nodeId);
    if (isSource(s)) out.add(s.nodeId);
    for (const r of Object.values(s.inputRelations).flat()) visit(r);
  };
  for (const s of compiled.steps) {
    const ports = Object.values(s.inputRelations);
    for (const rels of ports.slice(1)) for (const r of rels) visit(r);
  }
  return out;
}

/**
 * Per node, what identifies the uploaded files it reads: id, size and modification time. The compiled SQL
 * already names the file; this catches a file replaced in place.
 */
export function fileStamps(graph: unknown, env: PipelineEnvironment): Map<string, string> {
  const stamps = new Map<string, string>();
  // Loaded like every graph, so an older node's file setting is read under its current name.
  const loaded = loadPipeline(graph);
  if (!loaded.ok) return stamps;
  for (const node of loaded.graph.nodes) {
    const fileId = node.config.fileId;
    if (typeof fileId !== "string") continue;
    const file = env.file(fileId);
    if (!file) continue;
    try {
      const st = statSync(file.path);
      stamps.set(node.id, `${fileId}:${st.size}:${st.mtimeMs}`);
    } catch {
      stamps.set(node.id, `${fileId}:missing`);
    }
  }
  return stamps;
}

/**
 * A content key per node: its type and compiled step (SQL or connector spec), the keys of everything it
 * reads, its files' stamps and its row cap. Editing a node changes its key and, through the chain, the keys
 * of everything downstream; nothing upstream changes, so those results are reused.
 */
export function stepKeys(compiled: CompiledPipeline, stamps: Map<string, string>, policy: SamplingPolicy): Map<string, string> {
  const byRelation = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const s of compiled.steps) {
    const inputs = Object.entries(s.inputRelations).map(([port, rels]) => [port, rels.map((r) => byRelation.get(r) ?? r)]);
    const material = JSON.stringify([s.type, s.step, inputs, stamps.get(s.nodeId) ?? null, rowCapOf(s, policy) ?? null]);
    const key = createHash("sha256").update(material).digest("hex").slice(0, 32);
    keys.set(s.nodeId, key);
    for (const [port, rel] of Object.entries(s.relations)) byRelation.set(rel, `${key}:${port}`);
  }
  return keys;
}
