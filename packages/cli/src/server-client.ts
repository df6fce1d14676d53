import { apiErrorSchema, invalidPipelineErrorDetailsSchema, pipelineListSchema, runDetailSchema, validateResponseSchema, type Issue, type PipelineGraph, type RunDetail, type ParameterValues } from "@sluice/model";

export class ServerUnreachable extends Error {}

/** The few calls the CLI makes, with the server's own error messages passed through. */
export class ServerClient {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  private async send(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
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
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  private fail(r: { status: number; json: unknown }): never {
    const e = apiErrorSchema.safeParse(r.json);
    throw new Error(e.success ? `${e.data.error.code}: ${e.data.error.message}` : `The server answered ${r.status}.`);
  }

  async get(path: string): Promise<unknown> {
    const r = await this.send("GET", path);
    if (r.status >= 400) this.fail(r);
    return r.json;
  }

  async post(path: string, body: unknown): Promise<unknown> {
    const r = await this.send("POST", path, body);
    if (r.status >= 400) this.fail(r);
    return r.json;
  }

  async validate(graph: PipelineGraph) {
    return validateResponseSchema.parse(await this.post("/pipelines/validate", { graph }));
  }

  async findPipeline(nameOrId: string): Promise<string | undefined> {
    const { pipelines } = pipelineListSchema.parse(await this.get("/pipelines"));
    return pipelines.find((p) => p.id === nameOrId)?.id ?? pipelines.find((p) => p.name === nameOrId)?.id;
  }

  async startRun(id: string, params: ParameterValues = {}): Promise<{ ok: true; runId: string } | { ok: false; status: number; message: string; problems: Issue[] }> {
    const r = await this.send("POST", `/pipelines/${encodeURIComponent(id)}/runs`, Object.keys(params).length ? { params } : {});
    if (r.status === 202) return { ok: true, runId: (r.json as { runId: string }).runId };
    const e = apiErrorSchema.safeParse(r.json);
    const details = invalidPipelineErrorDetailsSchema.safeParse(e.success ? e.data.error.details : undefined);
    return { ok: false, status: r.status, message: e.success ? e.data.error.message : `The server answered ${r.status}.`, problems: details.success ? details.data.problems : [] };
  }

  async waitForRun(id: string): Promise<RunDetail> {
    for (;;) {
      const run = runDetailSchema.parse(await this.get(`/runs/${encodeURIComponent(id)}`));
      if (run.status !== "queued" && run.status !== "running") return run;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
