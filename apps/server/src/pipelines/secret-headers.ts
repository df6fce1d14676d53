import type { Issue, PipelineGraph } from "@sluice/model";
import { graphSecretIssues, urlSecretLabels, urlSecrets } from "@sluice/pipeline";
import { AppError } from "../http/app-error.ts";

const HOW = "Secrets go in an HTTP credential (Connections page, New connection, kind HTTP credential), chosen on the node, so they are stored encrypted and never exported.";

/**
 * A graph's secrets in HTTP sources' URLs and plain headers, if any: the issues, their code (SECRET_IN_URL or
 * SECRET_IN_HEADERS, the first found), and where they are for people ("HTTP source a (api_key, Authorization)").
 */
function plainSecrets(graph: PipelineGraph): { issues: Issue[]; code: string; where: string } | undefined {
  const issues = graphSecretIssues(graph);
  const first = issues[0];
  if (!first) return undefined;
  const byNode = new Map<string, string[]>();
  const urlNamed = new Set<string>();
  for (const i of issues) {
    const node = i.nodeId ?? "";
    const config = graph.nodes.find((n) => n.id === node)?.config;
    const names = byNode.get(node) ?? [];
    if (i.field !== "url") {
      names.push(String((config?.headers as { name?: unknown }[] | undefined)?.[Number(i.field?.split(".")[1])]?.name));
    } else if (!urlNamed.has(node)) {
      // One issue per secret of the URL: all of them are named at its first.
      urlNamed.add(node);
      const found = typeof config?.url === "string" ? urlSecrets(config.url) : undefined;
      if (found) names.push(...urlSecretLabels(found));
    }
    byNode.set(node, names);
  }
  return { issues, code: first.code, where: [...byNode].map(([node, names]) => `HTTP source ${node} (${names.join(", ")})`).join("; ") };
}

/**
 * Refuses to store a graph that keeps a secret in an HTTP source's URL or plain headers: pipelines are saved as plain
 * JSON, versioned and exported. A 400 naming each node and secret; the issues are in the details.
 */
export function refuseSecretHeaders(graph: PipelineGraph | undefined, what = "This pipeline"): void {
  const found = graph && plainSecrets(graph);
  if (!found) return;
  throw new AppError(400, found.code, `${what} keeps what may be a secret in plain text: ${found.where}. ${HOW}`, { issues: found.issues });
}

/** Export never contains such a secret: a pipeline stored before this rule must be changed first (409). */
export function refuseExportWithSecrets(pipelines: readonly { name: string; graph: PipelineGraph }[]): void {
  const found = pipelines.flatMap((p) => {
    const s = plainSecrets(p.graph);
    return s ? [{ name: p.name, code: s.code, where: s.where }] : [];
  });
  const first = found[0];
  if (!first) return;
  throw new AppError(
    409,
    first.code,
    `Not exported, since exports are plain text and these pipelines keep what may be a secret in their HTTP sources' URLs or headers: ${found.map((f) => `"${f.name}": ${f.where}`).join("; ")}. ${HOW} Then export again.`,
    { pipelines: found.map((f) => f.name) },
  );
}
