import type { PipelineGraph } from "@sluice/model";
import { fileSourceConfigSchema, isIncrementalSource, type PipelineEnvironment } from "@sluice/pipeline";
import { fileChecksum } from "../triggers/start-on-upload.ts";
import { settleEarlierRuns, type WatermarkPlanDeps } from "./watermark-plan.ts";
import { filesCount, type RunFileRow } from "./run-file.repository.ts";

/** Per `onlyNew` file source of the run, the ids of the files it reads. */
type FilePlan = { ok: true; only: Map<string, Set<string>> } | { ok: false; error: string; transient: boolean };

const named = (files: RunFileRow[]) => files.map((f) => `"${f.fileName}"`).join(", ");

/**
 * Chooses the files each `onlyNew` file source of this run reads, before the run compiles: every uploaded file whose
 * name matches the pattern and whose (id, sha256 of its content) no delivered run of this source read. Earlier runs'
 * pending ranges are settled first (watermark-plan.ts), so a run that died after its sinks committed counts as
 * having read its files. The choice is recorded (pending) before any sink can commit; a retried attempt reads the
 * same files.
 */
export async function planNewFiles(
  d: WatermarkPlanDeps,
  input: {
    runId: string;
    workspaceId: string;
    graph: PipelineGraph;
    env: PipelineEnvironment;
    log: (m: string) => Promise<void>;
    /** A resumed run: a reused source takes over the files the failed run read (docs/resume.md). */
    resume?: { fromRunId: string; succeeded: ReadonlySet<string> } | undefined;
  },
): Promise<FilePlan> {
  const sources = input.graph.nodes.filter((n) => n.type === "file" && isIncrementalSource(n.type, n.config));
  const only = new Map<string, Set<string>>();
  if (sources.length === 0) return { ok: true, only };
  const refused = await settleEarlierRuns(d, input.runId, input.workspaceId, input.log);
  if (refused && !refused.ok) return refused;
  const pipelineId = await d.watermarks.pipelineOf(input.runId);
  const own = new Set((await d.watermarks.forRun(input.runId)).map((r) => r.nodeId));
  const stored = new Map((await d.watermarks.stored(pipelineId)).map((w) => [w.nodeId, w.value]));
  for (const n of sources) {
    const label = `${n.label ?? n.id} (${n.id})`;
    if (!own.has(n.id) && input.resume?.succeeded.has(n.id)) {
      // Its output is reused, so its files are the failed run's, whatever has been uploaded since.
      const range = (await d.watermarks.forRun(input.resume.fromRunId)).find((r) => r.nodeId === n.id);
      const files = await d.watermarks.files.ofRun(input.resume.fromRunId, n.id);
      if (range?.after) await d.watermarks.files.record(input.runId, { nodeId: n.id, before: range.before, after: range.after }, files);
      only.set(n.id, new Set(files.map((f) => f.fileId)));
      continue;
    }
    if (own.has(n.id)) {
      only.set(n.id, new Set((await d.watermarks.files.ofRun(input.runId, n.id)).map((f) => f.fileId)));
      continue;
    }
    const { pattern } = fileSourceConfigSchema.parse(n.config);
    const processed = await d.watermarks.files.processed(pipelineId, n.id);
    const fresh: RunFileRow[] = [];
    // The environment matched the pattern (pipeline-environment.ts), in upload order.
    for (const f of input.env.filesMatching?.(n.id)?.files ?? []) {
      const checksum = await fileChecksum(f.path);
      if (!processed.has(`${f.id}:${checksum}`)) fresh.push({ fileId: f.id, checksum, fileName: f.name });
    }
    const before = stored.get(n.id) ?? null;
    const readBefore = before === null ? 0 : Number.parseInt(before, 10) || 0;
    await d.watermarks.files.record(input.runId, { nodeId: n.id, before, after: filesCount(readBefore + fresh.length) }, fresh);
    only.set(n.id, new Set(fresh.map((f) => f.fileId)));
    await input.log(fresh.length ? `${label} reads ${filesCount(fresh.length)} new since its last run, matching "${pattern}": ${named(fresh)}.` : `${label}: no new files match "${pattern}"; it reads no rows.`);
  }
  return { ok: true, only };
}

/** The environment a run compiles with: each `onlyNew` file source sees only the files chosen for it. */
export function withChosenFiles(env: PipelineEnvironment, only: Map<string, Set<string>>): PipelineEnvironment {
  if (only.size === 0) return env;
  return {
    ...env,
    filesMatching: (nodeId) => {
      const all = env.filesMatching?.(nodeId);
      const chosen = only.get(nodeId);
      return all && chosen ? { ...all, files: all.files.filter((f) => chosen.has(f.id)) } : all;
    },
  };
}
