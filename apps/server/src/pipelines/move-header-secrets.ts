import { createHash } from "node:crypto";
import { isSensitiveName, type PipelineGraph } from "@sluice/model";
import { loadPipeline, urlSecrets } from "@sluice/pipeline";
import type { Db } from "../db/prisma.ts";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import { headerSecretsRepository } from "./header-secrets.repository.ts";

type Header = { name: string; value: string };
type Node = PipelineGraph["nodes"][number];

const isHeader = (h: unknown): h is Header => typeof h === "object" && h !== null && typeof (h as Header).name === "string" && typeof (h as Header).value === "string";

/** The same id for the same secret of the same node, so a start that stops halfway and runs again makes no second credential. */
function credentialIdFor(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Before HTTP credentials, an HTTP source's secrets (an Authorization header, an API key header or query parameter,
 * user info in the URL) were kept in the pipeline in plain text, in every version. At server start, each such node
 * of each stored version gets them moved into an HTTP credential (sealed like a password, sent only to the host of
 * the node's URL) that the node then names: secret headers as they were, the URL's user info as an Authorization:
 * Basic header, secret query parameters as the credential's. The versions stay restorable and runnable, pinned runs
 * and schedules keep working, and no plain secret is left in the history. Headers with such a name but no value are
 * dropped. Returns how many versions changed.
 */
export async function moveHeaderSecrets(db: Db, connections: ConnectionRepository, log: (m: string) => void): Promise<number> {
  const versions = headerSecretsRepository(db);
  const rows = await versions.versionsToMove();
  let changed = 0;
  for (const row of rows) {
    const loaded = loadPipeline(row.graph);
    if (!loaded.ok) continue;
    // Only the moved nodes' configs change; everything else is written back exactly as it was stored. A moved node is
    // written as loaded (its settings at the current version, which it then says), the rest keep their stored version.
    const raw = row.graph as { nodes: Record<string, unknown>[] };
    const rawById = new Map(raw.nodes.map((n) => [n.id, n]));
    let touched = false;
    const nodes = [];
    for (const n of loaded.graph.nodes) {
      const moved = await moveNode(row, n, connections);
      touched ||= moved !== n;
      nodes.push(moved === n ? rawById.get(n.id) : { ...rawById.get(n.id), typeVersion: moved.typeVersion, config: moved.config });
    }
    if (!touched) continue;
    await versions.rewriteGraph(row.id, { ...raw, nodes });
    changed++;
  }
  if (changed) log(`moved secret HTTP headers and URL secrets of ${changed} pipeline version${changed === 1 ? "" : "s"} into HTTP credentials (Connections page)`);
  return changed;
}

/** The credential is made in the pipeline's workspace, the only one whose pipelines can name it. */
async function moveNode(pipeline: { pipeline_id: string; workspace_id: string; name: string }, n: Node, connections: ConnectionRepository): Promise<Node> {
  const { pipeline_id: pipelineId, workspace_id: workspaceId, name: pipelineName } = pipeline;
  if (n.type !== "http" || n.config.credentialId !== undefined) return n;
  const headers = Array.isArray(n.config.headers) ? (n.config.headers as unknown[]) : [];
  const plain = headers.filter((h) => !(isHeader(h) && isSensitiveName(h.name)));
  const inUrl = typeof n.config.url === "string" ? urlSecrets(n.config.url) : undefined;
  const urlMoves = inUrl !== undefined && inUrl.rest !== n.config.url;
  if (plain.length === headers.length && !urlMoves) return n;
  // User info first, so an Authorization header of the node wins over it, as it would have when sent.
  const basic = inUrl?.userinfo ? [{ name: "Authorization", value: `Basic ${Buffer.from(`${inUrl.userinfo.user}:${inUrl.userinfo.password}`).toString("base64")}` }] : [];
  // As sent: the last header or parameter of a name wins.
  const lastOfName = (list: Header[]) => [...new Map(list.map((h) => [h.name.toLowerCase(), h])).values()];
  const secret = lastOfName([...basic, ...headers.filter(isHeader).filter((h) => isSensitiveName(h.name) && h.value !== "")]);
  const queryParams = [...new Map((inUrl?.params ?? []).filter((p) => p.value !== "").map((p) => [p.name, p])).values()];
  const config: Record<string, unknown> = { ...n.config, ...(Array.isArray(n.config.headers) ? { headers: plain } : {}), ...(inUrl ? { url: inUrl.rest } : {}) };
  if (secret.length + queryParams.length > 0) {
    const url = typeof n.config.url === "string" && URL.canParse(n.config.url) ? new URL(n.config.url) : undefined;
    const hosts = url ? [url.hostname.toLowerCase()] : [];
    // The id of a credential of headers alone stays what it was, so a half-done move made before query parameters is found again.
    const id = credentialIdFor(JSON.stringify(queryParams.length ? [pipelineId, n.id, hosts, secret, queryParams] : [pipelineId, n.id, hosts, secret]));
    if (!(await connections.get(workspaceId, id))) {
      const name = `${pipelineName}: ${n.label ?? n.id} secrets`.slice(0, 200);
      await connections.create(workspaceId, { name, kind: "http", settings: { hosts }, headers: secret, queryParams }, { id }).catch(async (e: unknown) => {
        // Another server starting at the same moment made it first.
        if (!(await connections.get(workspaceId, id))) throw e;
      });
    }
    config.credentialId = id;
  }
  return { ...n, config };
}
