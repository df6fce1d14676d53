import { error, fail, isUuid, type DatabaseOption, type Issue, type PipelineGraph } from "@sluice/model";
import { chooseEngine, loadPipeline, validateGraph } from "@sluice/pipeline";
import { describePostgresSource, sampleHttpSource, type HttpGuardOptions } from "@sluice/engine";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { DataFileRepository } from "../files/data-file.repository.ts";
import type { PipelineRepository } from "./pipeline.repository.ts";
import { storedFileCheck } from "../files/stored-file-check.ts";
import { buildEnvironment, type ExternalSchemaResolver } from "./pipeline-environment.ts";

export interface ValidationFacadeDeps {
  pipelines: PipelineRepository;
  files: DataFileRepository;
  connections: ConnectionRepository;
  httpGuard: HttpGuardOptions;
}

/**
 * Validation with the outside world resolved: file metadata, database catalogs, API samples. Everything is looked
 * up in one workspace (the request's, or the run's pipeline's): a graph naming another workspace's file, connection
 * or credential finds nothing, and gets the same problem as one naming a deleted one.
 */
export function validationFacade(d: ValidationFacadeDeps) {
  const externalIn =
    (workspaceId: string): ExternalSchemaResolver =>
    async (node) => {
      if (node.type === "postgres") {
        const id = node.config.connectionId;
        if (typeof id !== "string") return undefined;
        const r = isUuid(id)
          ? await d.connections.resolve(workspaceId, id)
          : ({ ok: false, code: "CONNECTION_NOT_FOUND", message: `Connection ${id} does not exist; pick another one.` } as const);
        if (!r.ok) return fail(error(r.code, r.message, { nodeId: node.id, field: "connectionId" }));
        return describePostgresSource(r.settings, node.config, node.id);
      }
      if (node.type === "http") return sampleHttpSource(node.config, d.httpGuard, node.id, (id) => d.connections.resolveHttpCredential(workspaceId, id));
      return undefined;
    };

  const checkFile = storedFileCheck();
  async function environment(workspaceId: string, graph: PipelineGraph) {
    return buildEnvironment(workspaceId, graph, { files: d.files, external: externalIn(workspaceId), checkFile });
  }

  /**
   * The environment for any graph, valid in shape or not (a malformed one gets an empty environment). Loaded first, so
   * an older graph's files and connections are looked up under the settings' current names.
   */
  async function environmentFor(workspaceId: string, graph: unknown) {
    const loaded = loadPipeline(graph);
    return loaded.ok ? environment(workspaceId, loaded.graph) : { file: () => undefined, sourceColumns: () => undefined };
  }

  /**
   * Sinks aimed at a connection the workspace does not have (one of another workspace, e.g. in an imported file, or
   * one deleted since) or that is turned off (the built-in warehouse Sluice could not set up safely): refused before
   * a run starts, with the reason, rather than failing at the last step after every source was read. Sources get
   * the same problems from their schema lookup.
   */
  async function sinkConnectionProblems(workspaceId: string, graph: unknown): Promise<Issue[]> {
    const loaded = loadPipeline(graph);
    if (!loaded.ok) return [];
    const problems: Issue[] = [];
    for (const node of loaded.graph.nodes) {
      const id = node.config.connectionId;
      if (node.type !== "postgres-sink" || typeof id !== "string" || !isUuid(id)) continue;
      const r = await d.connections.resolve(workspaceId, id);
      if (!r.ok) problems.push(error(r.code, r.message, { nodeId: node.id, field: "connectionId" }));
    }
    return problems;
  }

  async function validate(workspaceId: string, graph: unknown, env: Awaited<ReturnType<typeof environmentFor>>) {
    const result = validateGraph(graph, env);
    // Where a run would go; a pipeline set to run in the database that cannot is a problem, refused before it runs.
    const choice = result.valid ? chooseEngine(graph, env) : undefined;
    const engine = choice?.ok ? (({ connectionId: _, ...info }) => info)(choice.value) : undefined;
    const off = [...(await sinkConnectionProblems(workspaceId, graph)), ...(choice && !choice.ok ? choice.issues : [])];
    const database = choice ? databaseOption(graph, env, choice) : undefined;
    const withEngine = { ...result, ...(engine ? { engine } : {}), ...(database ? { database } : {}) };
    return off.length ? { ...withEngine, valid: false, problems: [...result.problems, ...off] } : withEngine;
  }

  /**
   * Whether "database" would be accepted, asked of chooseEngine with the setting forced to it (the answer in hand when
   * it already is), and each node that cannot run there: the editor says why beside the choice and on the nodes.
   */
  function databaseOption(graph: unknown, env: Awaited<ReturnType<typeof environmentFor>>, choice: ReturnType<typeof chooseEngine>): DatabaseOption {
    const setting = choice.ok ? choice.value.setting : "database";
    const forced = setting === "database" || !graph || typeof graph !== "object" ? choice : chooseEngine({ ...graph, engine: "database" }, env);
    if (forced.ok) return { unavailable: null, notPushable: forced.value.notPushable };
    // The nodes and their reasons, from where the setting is not forced (a refused choice carries only its message).
    const listed = choice.ok ? choice : chooseEngine(typeof graph === "object" ? { ...graph, engine: "auto" } : graph, env);
    const message = forced.issues.map((i) => i.message).join(" ");
    const why = message.replace(/^The pipeline is set to run in the database, but /, "").replace(/ \([^()]*\)\.$/, ".");
    return { unavailable: why.charAt(0).toUpperCase() + why.slice(1), notPushable: listed.ok ? listed.value.notPushable : [] };
  }

  return {
    environment,
    environmentFor,
    async validate(workspaceId: string, graph: unknown) {
      return validate(workspaceId, graph, await environmentFor(workspaceId, graph));
    },
    /** Whether a version of a pipeline of the workspace may run, checked against that workspace's files and connections. */
    async checkRunnable(workspaceId: string, pipelineId: string, version: number | undefined) {
      const p = await d.pipelines.get(workspaceId, pipelineId);
      if (!p) return { kind: "not_found" } as const;
      const n = version ?? p.currentVersion;
      const v = await d.pipelines.version(workspaceId, pipelineId, n);
      if (!v) return { kind: "version_not_found", version: n } as const;
      const result = await validate(workspaceId, v.graph, await environment(workspaceId, v.graph));
      if (!result.valid) return { kind: "invalid", problems: result.problems.filter((x) => x.severity === "error") } as const;
      return { kind: "ok", versionNumber: n, graph: v.graph } as const;
    },
  };
}

export type ValidationFacade = ReturnType<typeof validationFacade>;
