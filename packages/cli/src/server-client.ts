import {
  apiErrorSchema,
  importResultSchema,
  invalidPipelineErrorDetailsSchema,
  pipelineListSchema,
  pipelineVersionSchema,
  runDetailSchema,
  startRunResponseSchema,
  validateResponseSchema,
  type ImportResult,
  type Issue,
  type ParameterValues,
  type PipelineFile,
  type PipelineGraph,
  type PipelineSummary,
  type RunDetail,
} from "@sluice/model";
import type { z } from "zod";

/**
 * What to do about a refusal of who is calling: 401, no token or a bad one; 403, a token whose role in its workspace
 * may not do this (the server's own message names the roles that may). Undefined for other statuses.
 */
export function accessHint(status: number, tokenGiven: boolean): string | undefined {
  if (status === 401) return tokenGiven ? "Check the API token given with --token or $SLUICE_TOKEN." : "Pass an API token with --token T, or set $SLUICE_TOKEN.";
  if (status === 403) return "Use an API token whose role allows this (runner to run, editor to import); a workspace owner makes one under API tokens.";
  return undefined;
}

/**
 * Why `--server` or `--token` cannot be used at all, or undefined. Either would otherwise fail inside fetch and be
 * reported as a server that cannot be reached (exit 4, "worth a retry"), though no request was ever sent: an address
 * without http:// ("localhost:3000" reads as the scheme "localhost"), or a token holding a character no header
 * carries (a line break or a non-ASCII letter from a copy and paste).
 */
export function serverOptionProblem(server: string, token: string | undefined): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return `--server (or $SLUICE_SERVER) must be the http:// or https:// address of a Sluice server, e.g. http://127.0.0.1:3000; got "${server}".`;
  }
  if (token && !/^[\x21-\x7e]+$/.test(token)) {
    return "The API token given with --token or $SLUICE_TOKEN holds a space, line break or non-ASCII character, which no token has; copy it again.";
  }
  return undefined;
}

/** The server cannot be reached, or answered 502-504 (it, or a dependency of its, is down or overloaded): worth retrying, exit 4. */
export class ServerUnreachable extends Error {}

/** 502, 503 and 504: the server, a proxy in front of it, or something it needs is away or overloaded; worth a retry. */
export const isUnavailable = (status: number) => status >= 502 && status <= 504;

/** Why a run did not start: the HTTP status and the server's own message and problems. */
export type RunRefusal = { ok: false; status: number; message: string; problems: Issue[] };

/** The few calls the CLI makes, with the server's own error messages passed through. */
export class ServerClient {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  get hasToken(): boolean {
    return Boolean(this.token);
  }

  /** One request; the answer whatever its status (callers that read refusals themselves, as backfill does). */
  async send(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${this.base.replace(/\/$/, "")}/api${path}`, {
        method,
        headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw new ServerUnreachable(`Cannot reach the Sluice server at ${this.base} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}). Start it, or pass --server.`);
    }
    const text = await res.text();
    // A proxy in front of the server may answer with an HTML page; that is a status without our error shape.
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  private fail(r: { status: number; json: unknown }): never {
    const e = apiErrorSchema.safeParse(r.json);
    const message = e.success ? `${e.data.error.code}: ${e.data.error.message}` : `The server answered ${r.status}.`;
    if (isUnavailable(r.status)) throw new ServerUnreachable(`The Sluice server at ${this.base} is unavailable (${message}); try again shortly.`);
    const hint = accessHint(r.status, this.hasToken);
    throw new Error(hint ? `${message} ${hint}` : message);
  }

  /**
   * A successful answer read as `schema`. Anything else (a proxy's or another program's page, an empty body, JSON of
   * another shape) is not Sluice's answer: said in one line with what to check, not as the schema's issues.
   */
  read<T>(schema: z.ZodType<T>, r: { status: number; json: unknown }, request: string): T {
    const parsed = schema.safeParse(r.json);
    if (parsed.success) return parsed.data;
    const what = r.json === undefined ? "a body that is not JSON" : "JSON that is not the answer Sluice gives";
    throw new Error(`The server at ${this.base} answered ${request} (${r.status}) with ${what}. Check that --server (or $SLUICE_SERVER) is the address of a Sluice server of this version.`);
  }

  async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const r = await this.send("GET", path);
    if (r.status >= 400) this.fail(r);
    return this.read(schema, r, `GET /api${path}`);
  }

  async post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const r = await this.send("POST", path, body);
    if (r.status >= 400) this.fail(r);
    return this.read(schema, r, `POST /api${path}`);
  }

  async validate(graph: PipelineGraph) {
    return this.post("/pipelines/validate", { graph }, validateResponseSchema);
  }

  async listPipelines(): Promise<PipelineSummary[]> {
    return (await this.get("/pipelines", pipelineListSchema)).pipelines;
  }

  async findPipeline(nameOrId: string): Promise<string | undefined> {
    const pipelines = await this.listPipelines();
    return pipelines.find((p) => p.id === nameOrId)?.id ?? pipelines.find((p) => p.name === nameOrId)?.id;
  }

  async importPipelines(pipelines: PipelineFile[], dryRun: boolean): Promise<ImportResult> {
    return this.post("/import/pipelines", { pipelines, dryRun }, importResultSchema);
  }

  async pipelineVersion(id: string, version: number) {
    return this.get(`/pipelines/${encodeURIComponent(id)}/versions/${version}`, pipelineVersionSchema);
  }

  async startRun(id: string, params: ParameterValues = {}): Promise<{ ok: true; runId: string } | RunRefusal> {
    const r = await this.send("POST", `/pipelines/${encodeURIComponent(id)}/runs`, Object.keys(params).length ? { params } : {});
    if (r.status === 202) return { ok: true, runId: this.read(startRunResponseSchema, r, "POST /api/pipelines/…/runs").runId };
    const e = apiErrorSchema.safeParse(r.json);
    const details = invalidPipelineErrorDetailsSchema.safeParse(e.success ? e.data.error.details : undefined);
    return { ok: false, status: r.status, message: e.success ? e.data.error.message : `The server answered ${r.status}.`, problems: details.success ? details.data.problems : [] };
  }

  /** Resumes a failed run as a new run (docs/resume.md), on its own version or the pipeline's current one. */
  async resumeRun(id: string, version: "same" | "current"): Promise<{ ok: true; runId: string } | RunRefusal> {
    const r = await this.send("POST", `/runs/${encodeURIComponent(id)}/resume`, { version });
    if (r.status === 202) return { ok: true, runId: this.read(startRunResponseSchema, r, "POST /api/runs/…/resume").runId };
    const e = apiErrorSchema.safeParse(r.json);
    return { ok: false, status: r.status, message: e.success ? e.data.error.message : `The server answered ${r.status}.`, problems: [] };
  }

  async getRun(id: string): Promise<RunDetail> {
    return this.get(`/runs/${encodeURIComponent(id)}`, runDetailSchema);
  }

  /** Asks the server to cancel a run; a run that has just finished is not an error. */
  async cancelRun(id: string): Promise<void> {
    const r = await this.send("POST", `/runs/${encodeURIComponent(id)}/cancel`, {});
    if (r.status >= 400 && r.status !== 409) this.fail(r);
  }
}
