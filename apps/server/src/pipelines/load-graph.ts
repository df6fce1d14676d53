import type { Issue, MigrationNote, PipelineGraph } from "@sluice/model";
import { loadPipeline } from "@sluice/pipeline";
import { AppError } from "../http/app-error.ts";

const listed = (issues: Issue[]) =>
  issues
    .slice(0, 5)
    .map((i) => i.message)
    .join(" ");

/**
 * A graph a request brings (create, save, import), loaded as every graph is: migrated to the current versions, then
 * parsed. One that cannot be is the caller's to fix: 400 with the first problem's code (NODE_VERSION_TOO_NEW,
 * NODE_MIGRATION_FAILED, INVALID_GRAPH …) and every problem in `details.problems`.
 */
export function loadRequestGraph(json: unknown, what = "The graph"): { graph: PipelineGraph; migrated: MigrationNote[] } {
  const r = loadPipeline(json);
  if (r.ok) return r;
  throw new AppError(400, r.issues[0]?.code ?? "INVALID_GRAPH", `${what} cannot be read. ${listed(r.issues)}`, { problems: r.issues });
}

/**
 * A stored graph, read as it is shown: migrated, never rewritten in the database. A row that cannot be loaded (saved
 * by a newer Sluice, or edited by hand) is a 409 that says why, rather than a graph the engine cannot trust.
 */
export function loadStoredGraph(json: unknown, where: string): { graph: PipelineGraph; migrated: MigrationNote[] } {
  const r = loadPipeline(json);
  if (r.ok) return r;
  throw new AppError(409, r.issues[0]?.code ?? "INVALID_GRAPH", `${where} cannot be read by this Sluice. ${listed(r.issues)}`, { problems: r.issues });
}
