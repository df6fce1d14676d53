import { error, type Issue, type PreviewResult } from "@sluice/model";
import { compileUpTo, validateGraph } from "@sluice/pipeline";
import { createConnectors, PreviewService, type EngineOptions, type HttpGuardOptions } from "@sluice/engine";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { ValidationFacade } from "../pipelines/validation.facade.ts";
import type { DataFileRecord } from "../files/data-file.repository.ts";
import { AppError } from "../http/app-error.ts";

export interface PreviewFacadeDeps {
  validation: ValidationFacade;
  connections: ConnectionRepository;
  httpGuard: HttpGuardOptions;
  workDir: string;
  engine: EngineOptions;
}

const emptyResult = (problems: Issue[]): PreviewResult & { problems: Issue[] } => ({
  columns: [],
  rows: [],
  profile: {},
  rowCount: null,
  sampled: null,
  elapsedMs: 0,
  problems,
});

/** Previews for the editor: problems come back as data in the body, shown in place on the node. */
export function previewFacade(d: PreviewFacadeDeps) {
  const service = new PreviewService({
    engine: d.engine,
    workDir: d.workDir,
    // Previews never write, so the sink connectors are never called; loads go to a scratch folder.
    connectors: createConnectors({ http: d.httpGuard, outputDir: d.workDir }),
    connection: async (id) => {
      const s = await d.connections.resolve(id);
      if (!s) throw new Error(`Connection ${id} does not exist.`);
      return s;
    },
  });

  async function previewNode(input: { graph: unknown; nodeId: string; port?: string | undefined; limit: number }) {
    const started = Date.now();
    const env = await d.validation.environmentFor(input.graph);
    const validation = validateGraph(input.graph, env);
    const compiled = compileUpTo(input.graph, env, input.nodeId);
    if (!compiled.ok) return emptyResult(compiled.issues);
    const result = await service.preview(compiled.value, input.nodeId, input.limit, input.port);
    const problems = validation.problems.filter((p) => p.severity === "warning" || compiled.value.steps.some((s) => s.nodeId === p.nodeId));
    if (!result.ok) {
      return emptyResult([...problems, error("PREVIEW_FAILED", `${result.nodeId}: ${result.message}`, { nodeId: result.nodeId })]);
    }
    return { ...result.value, elapsedMs: Date.now() - started, problems };
  }

  return {
    previewNode,
    async previewFile(file: DataFileRecord, limit: number): Promise<PreviewResult> {
      const graph = { formatVersion: 1, nodes: [{ id: "file", type: "file", position: { x: 0, y: 0 }, config: { fileId: file.id } }], edges: [] };
      const r = await previewNode({ graph, nodeId: "file", limit });
      const failure = r.problems.find((p) => p.severity === "error");
      if (failure) throw new AppError(422, failure.code, failure.message);
      const { problems: _p, ...rest } = r;
      return rest;
    },
    close: () => service.close(),
    service,
  };
}

export type PreviewFacade = ReturnType<typeof previewFacade>;
