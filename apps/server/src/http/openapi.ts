import { z } from "zod";
import { apiErrorSchema, rolesAllowed } from "@sluice/model";
import type { AnyRoute } from "./route.ts";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = toSchema(schema, "input");
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === "path" || required.has(name), schema: s }));
}

const errorText: Record<number, string> = {
  400: "The request is malformed or fails validation",
  401: "Sign-in required: no session or API token, or the token sent is not valid or revoked",
  403: "Refused: the caller's role does not allow this action (x-sluice-roles lists those that do), or a cross-origin request",
  404: "Not found (resources of another workspace are not found either)",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "Body is not JSON",
  421: "The Host header names this server by a name it was not told to answer to (ALLOWED_HOSTS, PUBLIC_URL)",
  422: "Understood but refused: the pipeline is not valid, or the connection address policy refuses the host",
  429: "Too many requests from this client; Retry-After says when to try again",
  503: "A dependency is down; retry later",
};

/** OpenAPI 3.1 built from the same zod schemas the routes validate with, so it cannot drift. */
export function buildOpenApi(routes: readonly AnyRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
    const status = String(r.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: {
        description: "Success",
        ...(r.response ? { content: { "application/json": { schema: toSchema(r.response, "output") } } } : {}),
      },
    };
    // Any route refuses a token that is not valid (401); workspace routes refuse roles that may not (403, table in access.ts).
    const byAction = r.action === "public" ? [] : r.action === "signed-in" ? [401] : [401, 403, 404];
    for (const code of [...new Set([400, 401, 421, ...byAction, ...(r.errors ?? [])])]) {
      responses[String(code)] = {
        description: errorText[code] ?? "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      // Public routes need nobody; the others a session cookie or an API token whose role allows the action.
      security: r.action === "public" ? [] : [{ apiToken: [] }, { session: [] }],
      "x-sluice-action": r.action,
      ...(r.action !== "public" && r.action !== "signed-in" ? { "x-sluice-roles": [...rolesAllowed[r.action]] } : {}),
      parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(r.body, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Sluice API", version, description: "Design, validate and run data pipelines." },
    paths,
    components: {
      schemas: { Error: toSchema(apiErrorSchema, "output") },
      securitySchemes: {
        apiToken: { type: "http", scheme: "bearer", description: "An API token (slc_…) of one workspace, with a role; created by a workspace owner under API tokens, or with npm run token:create" },
        session: { type: "apiKey", in: "cookie", name: "sluice_session", description: "The web app's session, set by POST /api/auth/sign-in (named __Host-sluice_session over HTTPS)" },
      },
    },
  };
}
