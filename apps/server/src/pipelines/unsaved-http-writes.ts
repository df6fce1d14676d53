import { roleAllows, rolesAllowed } from "@sluice/model";
import { httpSourceConfigSchema, loadPipeline, type HttpSourceConfig } from "@sluice/pipeline";
import { AppError } from "../http/app-error.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import type { PipelineRepository } from "./pipeline.repository.ts";

/** One text per request an HTTP source makes, whatever the key order or the defaults left out. */
function requestKey(c: HttpSourceConfig): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)])) : v;
  return JSON.stringify(sorted(c));
}

/**
 * Validation and previews fetch an HTTP source's first page, and anyone who may read the workspace may ask for them
 * with a graph of their own. A GET reads; a POST may change things at the API (create, refund, delete), sent with the
 * workspace's HTTP credential to its hosts. So a POST source in a graph from a caller who may not edit pipelines
 * (a viewer, a runner) must be one an editor saved: the same request as an HTTP node of a pipeline of the
 * workspace (its current version). Anything else is refused before any request is made, as their save would be.
 */
export async function refuseUnsavedHttpWrites(pipelines: Pick<PipelineRepository, "savedConfigsOf">, auth: RequestAuth, graph: unknown): Promise<void> {
  const ws = auth.workspace;
  if (!ws || roleAllows(ws.role, "pipeline.edit")) return;
  const loaded = loadPipeline(graph);
  // A graph that does not load is not compiled, so it fetches nothing; validation says what is wrong with it.
  if (!loaded.ok) return;
  const posts = loaded.graph.nodes.flatMap((n) => {
    if (n.type !== "http") return [];
    const c = httpSourceConfigSchema.safeParse(n.config);
    return c.success && c.data.method === "POST" ? [{ id: n.id, key: requestKey(c.data) }] : [];
  });
  if (posts.length === 0) return;
  const saved = new Set(
    (await pipelines.savedConfigsOf(ws.id, "http")).flatMap((raw) => {
      const c = httpSourceConfigSchema.safeParse(raw);
      return c.success ? [requestKey(c.data)] : [];
    }),
  );
  const unsaved = posts.find((p) => !saved.has(p.key));
  if (!unsaved) return;
  throw new AppError(
    403,
    "ROLE_FORBIDDEN",
    `Your role in the workspace "${ws.name}" is ${ws.role}: the HTTP source "${unsaved.id.slice(0, 200)}" sends a POST request that no saved pipeline sends, and a POST may change data at the API. Only owners and editors may preview or validate a POST source they changed; save it first, or ask one of them.`,
    { action: "pipeline.edit", role: ws.role, allowedRoles: [...rolesAllowed["pipeline.edit"]], nodeId: unsaved.id },
  );
}
