import path from "node:path";
import { error, fail, type Column, type Issue, type ParameterValues, type PipelineGraph, type Result } from "@sluice/model";
import { getNodeDefinition, validateGraph, type DataFileInfo, type PipelineEnvironment } from "@sluice/pipeline";
import { sampleHttpSource, type HttpCredentialResolver, type HttpGuardOptions } from "@sluice/engine";
import type { LocalInputs } from "./local-inputs.ts";

/** Node types that need a stored database connection, which only a server holds. */
const NEEDS_SERVER: Record<string, string> = {
  postgres: "reads from a PostgreSQL connection",
  "postgres-sink": "writes to a PostgreSQL connection",
};

export interface LocalCheck {
  env: PipelineEnvironment;
  /** The validator's problems and the local ones first (unmapped or unreadable inputs, nodes that need a server). */
  problems: Issue[];
  /** Folders of the input files this pipeline reads, which DuckDB must be allowed into. */
  inputFolders: string[];
}

const labelOf = (n: PipelineGraph["nodes"][number]) => `"${n.label ?? getNodeDefinition(n.type)?.label ?? n.type}" (${n.id})`;

/**
 * Stands in for the server's environment: file sources read the local files given with --input, HTTP
 * sources are sampled from here, and database nodes are reported up front, since connections (and their
 * secrets) live on a server. Validation then runs exactly as on the server.
 */
export async function checkLocally(
  graph: PipelineGraph,
  inputs: LocalInputs,
  http: HttpGuardOptions,
  params: ParameterValues = {},
  credentials?: HttpCredentialResolver,
): Promise<LocalCheck> {
  const files = new Map<string, DataFileInfo>();
  const external = new Map<string, Result<Column[]>>();
  // Nodes whose missing file this check already explains, so the validator's "file does not exist" is not said twice.
  const explained = new Set<string>();

  // Each node's local problems, kept in node order whichever input is inspected first.
  const perNode = await Promise.all(
    graph.nodes.map(async (n): Promise<Issue[]> => {
      const where = { nodeId: n.id, field: "fileId" };
      if (n.type === "file" && typeof n.config.fileId === "string" && n.config.fileId !== "") {
        const fileId = n.config.fileId;
        const described = inputs.describe(fileId);
        if (!described) {
          explained.add(n.id);
          return [error("INPUT_NOT_MAPPED", `File source ${labelOf(n)} reads file "${fileId}", which no --input names; pass --input ${fileId}=path/to/file.`, where)];
        }
        const r = await described;
        if (r.ok) {
          files.set(fileId, r.value);
          return [];
        }
        explained.add(n.id);
        return r.issues.map((i) => ({ ...i, ...where }));
      } else if (NEEDS_SERVER[n.type]) {
        const issue = error(
          "NEEDS_SERVER",
          `${labelOf(n)} ${NEEDS_SERVER[n.type]}, and connections live on a Sluice server: validate and run this pipeline against a server (without --local).`,
          { nodeId: n.id },
        );
        // A source's columns come from the connection, so the validator reports it through the source itself.
        if (n.type !== "postgres") return [issue];
        external.set(n.id, fail(issue));
      } else if (n.type === "http") {
        external.set(n.id, await sampleHttpSource(n.config, http, n.id, credentials));
      }
      return [];
    }),
  );

  const env: PipelineEnvironment = { file: (id) => files.get(id), sourceColumns: (nodeId) => external.get(nodeId) };
  const validated = validateGraph(graph, env, { params }).problems.filter((p) => !(p.code === "FILE_NOT_FOUND" && p.nodeId && explained.has(p.nodeId)));
  const problems = [...perNode.flat(), ...validated];
  const inputFolders = [...new Set([...files.values()].map((f) => path.dirname(f.path)))];
  return { env, problems, inputFolders };
}
