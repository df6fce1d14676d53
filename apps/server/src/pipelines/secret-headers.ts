import type { Issue, PipelineGraph } from "@sluice/model";
import { graphSecretHeaderIssues } from "@sluice/pipeline";
import { AppError } from "../http/app-error.ts";

const HOW = "Secrets go in an HTTP credential (Connections page, New connection, kind HTTP credential), chosen on the node, so they are stored encrypted and never exported.";

/** A graph's secret headers, if any: the issues, and where they are for people ("HTTP source a (Authorization)"). */
function secretHeaders(graph: PipelineGraph): { issues: Issue[]; where: string } | undefined {
  const issues = graphSecretHeaderIssues(graph);
  if (issues.length === 0) return undefined;
  const byNode = new Map<string, string[]>();
  for (const i of issues) {
    const h = (graph.nodes.find((n) => n.id === i.nodeId)?.config.headers as { name?: unknown }[] | undefined)?.[Number(i.field?.split(".")[1])];
    byNode.set(i.nodeId ?? "", [...(byNode.get(i.nodeId ?? "") ?? []), String(h?.name)]);
  }
  return { issues, where: [...byNode].map(([node, names]) => `HTTP source ${node} (${names.join(", ")})`).join("; ") };
}

/**
 * Refuses to store a graph that keeps a secret in an HTTP source's plain headers: pipelines are saved as plain
 * JSON, versioned and exported. A 400 naming each node and header; the issues are in the details.
 */
export function refuseSecretHeaders(graph: PipelineGraph | undefined, what = "This pipeline"): void {
  const found = graph && secretHeaders(graph);
  if (!found) return;
  throw new AppError(400, "SECRET_IN_HEADERS", `${what} keeps headers that may carry a secret in plain text: ${found.where}. ${HOW}`, { issues: found.issues });
}

/** Export never contains such a header: a pipeline stored before this rule must be changed first (409). */
export function refuseExportWithSecrets(pipelines: readonly { name: string; graph: PipelineGraph }[]): void {
  const found = pipelines.flatMap((p) => {
    const s = secretHeaders(p.graph);
    return s ? [{ name: p.name, where: s.where }] : [];
  });
  if (found.length === 0) return;
  throw new AppError(
    409,
    "SECRET_IN_HEADERS",
    `Not exported, since exports are plain text and these pipelines keep headers that may carry a secret: ${found.map((f) => `"${f.name}": ${f.where}`).join("; ")}. ${HOW} Then export again.`,
    { pipelines: found.map((f) => f.name) },
  );
}
