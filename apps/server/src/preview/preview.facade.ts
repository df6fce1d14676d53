import { AsyncLocalStorage } from "node:async_hooks";
import type { PreviewResult } from "@sluice/model";
import { createConnectors, PreviewService, type EngineOptions, type HttpGuardOptions } from "@sluice/engine";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { ValidationFacade } from "../pipelines/validation.facade.ts";
import type { DataFileRecord } from "../files/data-file.repository.ts";
import type { Response } from "express";
import { AppError } from "../http/app-error.ts";
import { callerKey, clientGone } from "../http/client-gone.ts";
import type { RequestAuth } from "../auth/request-auth.ts";

/**
 * Previews one caller (a person, a token) may have waiting or running at once; past it, 429 TOO_MANY_PREVIEWS. The
 * editor asks for up to three at once (the node, its input, a retype's failures) and aborts those it no longer shows,
 * whose places come back only once the server sees the connection close: 8 leaves it room.
 */
export const MAX_PREVIEWS_PER_CALLER = 8;

/** Who asks for a preview (callerKey), the signal that says their client went away, and how to say when to retry. */
export interface PreviewCaller {
  key: string;
  signal?: AbortSignal | undefined;
  /** Called before a refusal with the seconds to wait (the route sets Retry-After). */
  refused?: ((retryAfterSeconds: number) => void) | undefined;
}

/** A request's caller, as the preview routes pass it. */
export function previewCaller(auth: RequestAuth, res: Response): PreviewCaller {
  return { key: callerKey(auth), signal: clientGone(res), refused: (seconds) => res.set("Retry-After", String(seconds)) };
}

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

  const waiting = new Map<string, number>();
  /**
   * Counts a caller's preview in, or refuses it: previews run one at a time on the one engine, each for up to 30 s,
   * so without a bound one caller could queue enough of them to keep everyone else's waiting for as long as it likes.
   * The place is given back when the preview ends or its client goes away (its work is then skipped or stopped).
   */
  function admit(who: PreviewCaller): () => void {
    const n = waiting.get(who.key) ?? 0;
    if (n >= MAX_PREVIEWS_PER_CALLER) {
      who.refused?.(5);
      throw new AppError(
        429,
        "TOO_MANY_PREVIEWS",
        `You already have ${n} previews waiting or running, the most one caller may have at once; wait for one to finish, or cancel it, and try again.`,
      );
    }
    waiting.set(who.key, n + 1);
    let given = false;
    const giveBack = () => {
      if (given) return;
      given = true;
      const left = (waiting.get(who.key) ?? 1) - 1;
      if (left > 0) waiting.set(who.key, left);
      else waiting.delete(who.key);
      who.signal?.removeEventListener("abort", giveBack);
    };
    who.signal?.addEventListener("abort", giveBack, { once: true });
    return giveBack;
  }

  async function previewNode(workspaceId: string, input: { graph: unknown; nodeId: string; port?: string | undefined; limit: number }, who: PreviewCaller) {
    const giveBack = admit(who);
    try {
      const env = await d.validation.environmentFor(workspaceId, input.graph);
      return await workspace.run(workspaceId, () => service.preview({ ...input, env, signal: who.signal }));
    } finally {
      giveBack();
    }
  }

  return {
    previewNode,
    /** A file of the workspace (the caller found it there), as a one-node graph's preview. */
    async previewFile(workspaceId: string, file: DataFileRecord, limit: number, who: PreviewCaller): Promise<PreviewResult> {
      const graph = { formatVersion: 1, nodes: [{ id: "file", type: "file", position: { x: 0, y: 0 }, config: { fileId: file.id } }], edges: [] };
      const r = await previewNode(workspaceId, { graph, nodeId: "file", limit }, who);
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
