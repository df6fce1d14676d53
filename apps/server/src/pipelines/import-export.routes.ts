import { importRequestSchema, importResultSchema, pipelineExportSchema, pipelineFileSchema, pipelineIdParamsSchema, type ImportResult, type PipelineDetail, type PipelineFile } from "@sluice/model";
import { canonicalizeGraph, diffGraphs } from "@sluice/pipeline";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { refuseExportWithSecrets, refuseSecretHeaders } from "./secret-headers.ts";
import { auditPipeline } from "./pipeline-audit.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { loadRequestGraph } from "./load-graph.ts";
import type { ImportWrite } from "./pipeline.repository.ts";

const toFile = (p: PipelineDetail): PipelineFile => ({ name: p.name, description: p.description, graph: canonicalizeGraph(p.graph) });

/** What importing `file` over `existing` would change, one line each; empty when nothing would. */
function changesOf(existing: PipelineDetail, file: PipelineFile): string[] {
  const before = canonicalizeGraph(existing.graph);
  const after = canonicalizeGraph(file.graph);
  const lines = diffGraphs(before, after);
  if (existing.description !== file.description) lines.push("description");
  if (lines.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) {
    // Nothing a run would do differently: say what did change rather than guess it was the layout.
    const at = (g: PipelineDetail["graph"]) => JSON.stringify(g.nodes.map((n) => [n.id, n.position.x, n.position.y]).sort());
    lines.push(at(before) !== at(after) ? "node positions" : "written differently (order, ids or spelled-out defaults), same pipeline");
  }
  return lines;
}

export const importExportRoutes = (deps: Pick<Deps, "pipelines">) => [
  defineRoute({
    method: "get",
    path: "/pipelines/:id/export",
    tag: "pipelines",
    action: "workspace.read",
    summary: "The pipeline's current version as a pipeline file (name, description, graph)",
    params: pipelineIdParamsSchema,
    response: pipelineFileSchema,
    errors: [404, 409],
    handler: async ({ params, auth }) => {
      const p = await deps.pipelines.get(workspaceOf(auth), params.id);
      if (!p) throw notFound("pipeline", params.id);
      refuseExportWithSecrets([p]);
      return { body: toFile(p) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/export/pipelines",
    tag: "pipelines",
    action: "workspace.read",
    summary: "Every pipeline of the workspace, its current version, as pipeline files",
    response: pipelineExportSchema,
    errors: [409],
    handler: async ({ auth }) => {
      const workspaceId = workspaceOf(auth);
      const all = await deps.pipelines.list(workspaceId);
      const details = (await Promise.all(all.map((p) => deps.pipelines.get(workspaceId, p.id)))).filter((p): p is PipelineDetail => p !== null);
      refuseExportWithSecrets(details);
      return { body: { pipelines: details.map(toFile) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/import/pipelines",
    tag: "pipelines",
    action: "pipeline.edit",
    summary: "Import pipeline files into the workspace, matched by name among its pipelines: new ones are created, changed ones get a new version; dryRun only reports",
    body: importRequestSchema,
    response: importResultSchema,
    errors: [400, 409],
    handler: async ({ body, auth }) => {
      const workspaceId = workspaceOf(auth);
      // Every file is loaded (older ones migrated) before anything else looks at it; one that cannot be stops the import.
      const files: PipelineFile[] = body.pipelines.map((f) => ({ ...f, graph: loadRequestGraph(f.graph, `The graph of "${f.name}"`).graph }));
      const names = files.map((f) => f.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw new AppError(400, "DUPLICATE_PIPELINE_NAME", `Two files are both named "${twice}"; names decide which pipeline a file updates.`);
      for (const f of files) refuseSecretHeaders(f.graph, `"${f.name}"`);
      // The list is most recently changed first: a name shared by several pipelines updates the latest one.
      const byName = new Map<string, string>();
      for (const p of await deps.pipelines.list(workspaceId)) if (!byName.has(p.name)) byName.set(p.name, p.id);
      // Work out every outcome before writing anything, so a bad file stops the import before it starts.
      const plans = await Promise.all(
        files.map(async (file) => {
          const id = byName.get(file.name);
          const existing = id ? await deps.pipelines.get(workspaceId, id) : null;
          return { file, existing, changes: existing ? changesOf(existing, file) : [] };
        }),
      );
      const audit = auditPipeline(auth, "pipeline.imported", (w) => ({ version: w.version }));
      const results: ImportResult["results"] = [];
      // Every write at once, in one transaction: an import that fails part way keeps nothing.
      const writes: ImportWrite[] = [];
      const writeOf: (number | undefined)[] = [];
      for (const { file, existing, changes } of plans) {
        if (!existing) {
          writeOf.push(writes.push({ kind: "create", name: file.name, description: file.description, graph: file.graph, message: "Imported" }) - 1);
          results.push({ name: file.name, action: "created", changes: [], pipelineId: null, version: null });
        } else if (changes.length === 0) {
          writeOf.push(undefined);
          results.push({ name: file.name, action: "unchanged", changes, pipelineId: existing.id, version: existing.currentVersion });
        } else {
          const content = { name: existing.name, description: file.description, graph: file.graph, message: "Imported" };
          writeOf.push(writes.push({ kind: "update", id: existing.id, baseVersion: existing.currentVersion, content }) - 1);
          results.push({ name: file.name, action: "updated", changes, pipelineId: existing.id, version: null });
        }
      }
      if (!body.dryRun && writes.length) {
        const outcome = await deps.pipelines.importAll(workspaceId, writes, audit);
        if (outcome.kind === "conflict") {
          const name = plans[writeOf.indexOf(outcome.index)]!.file.name;
          throw new AppError(409, "VERSION_CONFLICT", `"${name}" changed while importing, so nothing was imported; import again.`);
        }
        results.forEach((r, i) => {
          const at = writeOf[i];
          if (at === undefined) return;
          r.pipelineId = outcome.written[at]!.id;
          r.version = outcome.written[at]!.version;
        });
      }
      return { body: { dryRun: body.dryRun, results } };
    },
  }),
];
