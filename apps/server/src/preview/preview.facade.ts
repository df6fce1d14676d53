import type { PreviewResult } from "@sluice/model";
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

/** Previews for the editor: problems come back as data in the body, shown in place on the node. */
export function previewFacade(d: PreviewFacadeDeps) {
  const service = new PreviewService({
    engine: d.engine,
    workDir: d.workDir,
    // Previews never write, so the sink connectors are never called; loads go to a scratch folder.
    connectors: createConnectors({ http: d.httpGuard, httpCredential: (id) => d.connections.resolveHttpCredential(id), outputDir: d.workDir }),
    connection: async (id) => {
      const r = await d.connections.resolve(id);
      if (!r.ok) throw new Error(r.message);
      return r.settings;
    },
  });

  async function previewNode(input: { graph: unknown; nodeId: string; port?: string | undefined; limit: number }) {
    return service.preview({ ...input, env: await d.validation.environmentFor(input.graph) });
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
