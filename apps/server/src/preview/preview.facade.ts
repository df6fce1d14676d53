import { AsyncLocalStorage } from "node:async_hooks";
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

/**
 * Previews for the editor: problems come back as data in the body, shown in place on the node. Every preview acts in
 * one workspace: its environment (files, source columns) is that workspace's, so a node naming another workspace's
 * file, connection or credential fails validation before anything runs, as a deleted one does.
 */
export function previewFacade(d: PreviewFacadeDeps) {
  /**
   * The one preview engine (one DuckDB) serves every workspace and is given its connection lookups once; the
   * workspace of the preview being computed travels with it here, so those lookups, too, find only its connections.
   */
  const workspace = new AsyncLocalStorage<string>();
  const current = () => {
    const id = workspace.getStore();
    if (!id) throw new Error("bug: a preview looked up a connection outside a workspace");
    return id;
  };
  const service = new PreviewService({
    engine: d.engine,
    workDir: d.workDir,
    // Previews never write, so the sink connectors are never called; loads go to a scratch folder.
    connectors: createConnectors({ http: d.httpGuard, httpCredential: (id) => d.connections.resolveHttpCredential(current(), id), outputDir: d.workDir }),
    connection: async (id) => {
      const r = await d.connections.resolve(current(), id);
      if (!r.ok) throw new Error(r.message);
      return r.settings;
    },
  });

  async function previewNode(workspaceId: string, input: { graph: unknown; nodeId: string; port?: string | undefined; limit: number }) {
    const env = await d.validation.environmentFor(workspaceId, input.graph);
    return workspace.run(workspaceId, () => service.preview({ ...input, env }));
  }

  return {
    previewNode,
    /** A file of the workspace (the caller found it there), as a one-node graph's preview. */
    async previewFile(workspaceId: string, file: DataFileRecord, limit: number): Promise<PreviewResult> {
      const graph = { formatVersion: 1, nodes: [{ id: "file", type: "file", position: { x: 0, y: 0 }, config: { fileId: file.id } }], edges: [] };
      const r = await previewNode(workspaceId, { graph, nodeId: "file", limit });
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
