import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { adoptWorkspaceOf } from "./auth.queries.ts";
import { api, ApiError, refusal } from "./client.ts";
import { followEventStream } from "./event-stream.ts";
import { sessionEvents, type SessionEvent } from "./session-events.ts";
import { workspaceSelection } from "./workspace-selection.ts";

const answering = (status: number, body: unknown) => {
  const headers: Record<string, string>[] = [];
  const impl: typeof fetch = async (_input, init) => {
    headers.push((init?.headers ?? {}) as Record<string, string>);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { impl, headers };
};
const refused = (code: string) => ({ error: { code, message: "Refused." } });

/** Records what the request layer reports to the app shell while `fn` runs. */
async function reported(fn: () => Promise<unknown>): Promise<SessionEvent[]> {
  const seen: SessionEvent[] = [];
  const stop = sessionEvents.subscribe((e) => seen.push(e));
  try {
    await fn().catch(() => undefined);
  } finally {
    stop();
  }
  return seen;
}

afterEach(() => {
  workspaceSelection.choose(null);
  vi.unstubAllGlobals();
});

describe("the workspace of each request", () => {
  it("is named by a header once known, and not before", async () => {
    const before = answering(200, {});
    await api("GET", "/pipelines", z.unknown(), { fetch: before.impl });
    expect(before.headers[0]).not.toHaveProperty("X-Sluice-Workspace");
    workspaceSelection.choose("w-1");
    const after = answering(200, {});
    await api("POST", "/pipelines", z.unknown(), { body: {}, fetch: after.impl });
    expect(after.headers[0]).toMatchObject({ "X-Sluice-Workspace": "w-1", "content-type": "application/json", accept: "application/json" });
  });

  it("goes in the query of links, which cannot send headers", () => {
    expect(workspaceSelection.withQuery("/api/export/pipelines")).toBe("/api/export/pipelines");
    workspaceSelection.choose("w 2");
    expect(workspaceSelection.withQuery("/api/export/pipelines")).toBe("/api/export/pipelines?workspace=w%202");
    expect(workspaceSelection.withQuery("/api/audit?format=ndjson")).toBe("/api/audit?format=ndjson&workspace=w%202");
  });

  it("is forgotten when the server says it is not ours, so the next request takes our first one", async () => {
    workspaceSelection.choose("w-gone");
    expect(await reported(() => api("GET", "/runs", z.unknown(), { fetch: answering(404, refused("WORKSPACE_NOT_FOUND")).impl }))).toEqual(["workspace-gone"]);
    expect(workspaceSelection.id()).toBeNull();
    // Without a workspace named, the same answer is not about our choice: nothing to forget, nothing to report.
    expect(await reported(() => api("GET", "/runs", z.unknown(), { fetch: answering(404, refused("WORKSPACE_NOT_FOUND")).impl }))).toEqual([]);
  });
});

describe("a lost session", () => {
  it("a 401 SIGN_IN_REQUIRED is reported once, and the caller still gets the error", async () => {
    let error: unknown;
    const seen = await reported(() => api("GET", "/runs", z.unknown(), { fetch: answering(401, refused("SIGN_IN_REQUIRED")).impl }).catch((e: unknown) => (error = e)));
    expect(seen).toEqual(["sign-in-required"]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: "SIGN_IN_REQUIRED" });
  });

  it("other refusals are the page's business: a wrong password, a role, another origin", async () => {
    for (const [status, code] of [[401, "SIGN_IN_FAILED"], [403, "ROLE_FORBIDDEN"], [403, "CROSS_ORIGIN_REFUSED"], [429, "TOO_MANY_SIGN_INS"]] as const) {
      expect(await reported(() => api("POST", "/x", z.unknown(), { body: {}, fetch: answering(status, refused(code)).impl }))).toEqual([]);
    }
  });

  it("uploads and event streams report it through the same place", async () => {
    expect(await reported(async () => refusal(401, "Unauthorized", refused("SIGN_IN_REQUIRED")))).toEqual(["sign-in-required"]);
    const stream = answering(401, refused("SIGN_IN_REQUIRED"));
    vi.stubGlobal("fetch", stream.impl);
    workspaceSelection.choose("w-1");
    const seen = await reported(() => followEventStream("/runs/r/events", () => undefined, { signal: new AbortController().signal, isDone: () => false }));
    expect(seen).toEqual(["sign-in-required"]);
    expect(stream.headers[0]).toMatchObject({ accept: "text/event-stream", "X-Sluice-Workspace": "w-1" });
  });
});

describe("signing in on a browser that remembers a workspace", () => {
  const me = (ids: string[]) => ({
    actor: { kind: "person" as const, id: "u", email: "ann@example.com", name: "Ann" },
    workspace: ids[0] ? { id: ids[0], name: "First", role: "owner" as const } : null,
    workspaces: ids.map((id) => ({ id, name: id, role: "owner" as const })),
    permissions: [],
  });

  it("keeps it for the same person coming back, and takes the server's choice for anyone else", () => {
    workspaceSelection.choose("w-2");
    adoptWorkspaceOf(me(["w-1", "w-2"]));
    expect(workspaceSelection.id()).toBe("w-2");
    adoptWorkspaceOf(me(["w-9"]));
    expect(workspaceSelection.id()).toBe("w-9");
    adoptWorkspaceOf(me([]));
    expect(workspaceSelection.id()).toBeNull();
  });
});
