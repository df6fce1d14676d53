import { z } from "zod";
import { error, failAll, headerNameProblem, headerValueProblem, isSensitiveName, type Issue } from "@sluice/model";
import { defineNode } from "../../catalog/node-definition.ts";
import { externalColumns } from "./external-columns.ts";
import { httpCredentialWidget, multilineWidget } from "../../catalog/widgets.ts";
import { urlSecrets } from "./http-url-secrets.ts";
import { DATASET_PORT, passThrough } from "../../catalog/node-lineage.ts";

const httpSourceType = "http";
const param = z.string().min(1, "a query parameter name is required").max(200);

/** How further pages are requested; page, offset and cursor parameters go in the query string. */
export const httpPaginationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  /** `param`=start, start+1, …; stops at an empty page, or at a page shorter than `size` when given. */
  z.object({ kind: z.literal("page"), param, start: z.number().int().min(0).default(1), size: z.number().int().min(1).optional() }),
  /** `param`=0, limit, 2·limit, … with `limitParam`=limit; stops at a page shorter than limit. */
  z.object({ kind: z.literal("offset"), param, limitParam: param, limit: z.number().int().min(1).max(100_000).default(100) }),
  /** The next request sends `param`=the value at `cursorPath` in the response; stops when it is missing, null or "". */
  z.object({ kind: z.literal("cursor"), param, cursorPath: z.string().min(1, "a path to the cursor is required") }),
  /** The next request goes to the URL at `path` in the response (absolute or relative); stops when it is missing or null. */
  z.object({ kind: z.literal("nextLink"), path: z.string().min(1, "a path to the next link is required") }),
]);
export type HttpPagination = z.infer<typeof httpPaginationSchema>;

export const httpSourceConfigSchema = z.object({
  url: z.string().default(""),
  method: z.enum(["GET", "POST"]).default("GET"),
  /** Plain headers, stored with the pipeline: never a secret (see SECRET_IN_HEADERS). */
  headers: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  /** An HTTP credential (a connection of kind "http") whose secret headers the engine adds to each request; "" is none. */
  credentialId: z.string().meta(httpCredentialWidget).optional(),
  /** POST only: sent as is; Content-Type defaults to application/json. */
  body: z.string().meta(multilineWidget).optional(),
  /** Dotted path to the records in each response, e.g. "data.items"; "" means the response itself. */
  recordsPath: z.string().default(""),
  pagination: httpPaginationSchema.default({ kind: "none" }),
  maxPages: z.number().int().min(1).max(10_000).default(100),
});
export type HttpSourceConfig = z.infer<typeof httpSourceConfigSchema>;

/**
 * Headers whose names suggest a secret (Authorization, Cookie, X-API-Key, …): a pipeline is saved, versioned
 * and exported in plain text, so these belong in an HTTP credential, which is stored encrypted.
 */
export function secretHeaderIssues(headers: readonly { name: string }[], nodeId: string): Issue[] {
  return headers.flatMap((h, i) =>
    isSensitiveName(h.name)
      ? [
          error(
            "SECRET_IN_HEADERS",
            `The ${h.name} header may carry a secret, and headers are saved and exported with the pipeline in plain text. Move it to an HTTP credential (Connections page, New connection, kind HTTP credential) and choose that credential here.`,
            { nodeId, field: `headers.${i}.name` },
          ),
        ]
      : [],
  );
}

const CREDENTIAL = "(Connections page, New connection, kind HTTP credential) and choose that credential here";

/**
 * Secrets in the URL, which is saved, versioned and exported like the headers: user info (`https://user:pw@host/`)
 * and query parameters whose names may carry a secret (api_key, access_token, signature, …). One SECRET_IN_URL
 * each, on the url field; an HTTP credential carries them instead (as an Authorization: Basic header, or as its
 * secret query parameters).
 */
export function secretUrlIssues(url: string, nodeId: string): Issue[] {
  const found = urlSecrets(url);
  if (!found) return [];
  const at = { nodeId, field: "url" };
  return [
    ...(found.userinfo ? [error("SECRET_IN_URL", `The URL carries a user name or password, and the URL is saved and exported with the pipeline in plain text. Move them to an HTTP credential as an Authorization: Basic header ${CREDENTIAL}.`, at)] : []),
    ...[...new Set(found.params.map((p) => p.name))].map((name) =>
      error("SECRET_IN_URL", `The ${name} query parameter may carry a secret, and the URL is saved and exported with the pipeline in plain text. Move it to an HTTP credential as a secret query parameter ${CREDENTIAL}.`, at),
    ),
  ];
}

/** Problems with the config itself; an empty list means the API can be asked for a sample. */
export function httpSourceConfigIssues(config: HttpSourceConfig, nodeId: string): Issue[] {
  const issues: Issue[] = [];
  const at = (field: string) => ({ nodeId, field });
  if (config.url.trim() === "") {
    issues.push(error("URL_REQUIRED", "Enter the URL to read from.", at("url")));
  } else {
    let url: URL | undefined;
    try {
      url = new URL(config.url);
    } catch {
      issues.push(error("URL_INVALID", `"${config.url}" is not a valid URL.`, at("url")));
    }
    if (url && url.protocol !== "http:" && url.protocol !== "https:") {
      issues.push(error("URL_INVALID", `Only http and https URLs can be read, not ${url.protocol.replace(":", "")}.`, at("url")));
    }
    issues.push(...secretUrlIssues(config.url, nodeId));
  }
  config.headers.forEach((h, i) => {
    const nameProblem = headerNameProblem(h.name);
    if (nameProblem) issues.push(error("HEADER_INVALID", nameProblem, at(`headers.${i}.name`)));
    const valueProblem = headerValueProblem(h.value);
    if (valueProblem) issues.push(error("HEADER_INVALID", valueProblem, at(`headers.${i}.value`)));
  });
  issues.push(...secretHeaderIssues(config.headers, nodeId));
  if (config.method === "GET" && config.body !== undefined && config.body !== "") {
    issues.push(error("BODY_NOT_ALLOWED", "A GET request has no body; switch to POST or clear the body.", at("body")));
  }
  return issues;
}

/**
 * SECRET_IN_URL and SECRET_IN_HEADERS for every HTTP source of a graph, read loosely (a draft's config may not
 * parse): the server refuses to save or export a pipeline that has any.
 */
export function graphSecretIssues(graph: { nodes: readonly { id: string; type: string; config: Record<string, unknown> }[] }): Issue[] {
  return graph.nodes.flatMap((n) => {
    if (n.type !== httpSourceType) return [];
    const url = typeof n.config.url === "string" ? secretUrlIssues(n.config.url, n.id) : [];
    if (!Array.isArray(n.config.headers)) return url;
    const headers = n.config.headers.map((h: unknown) => ({ name: typeof h === "object" && h !== null && "name" in h ? String(h.name) : "" }));
    return [...url, ...secretHeaderIssues(headers, n.id)];
  });
}

export const httpSourceNode = defineNode<HttpSourceConfig>({
  type: httpSourceType,
  version: 1,
  category: "source",
  label: "HTTP API",
  description: "Read JSON records from an HTTP API, following its pagination.",
  inputs: [],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema: httpSourceConfigSchema,
  defaultConfig: { url: "", method: "GET", headers: [], recordsPath: "", pagination: { kind: "none" }, maxPages: 100 },
  summary: (c) => {
    if (c.url === "") return "no URL";
    const host = URL.canParse(c.url) ? new URL(c.url).host : c.url;
    return `${c.method} ${host}${c.pagination.kind === "none" ? "" : `, ${c.pagination.kind} pagination`}`;
  },
  inferSchema(ctx, config) {
    const issues = httpSourceConfigIssues(config, ctx.nodeId);
    if (issues.length) return failAll(issues);
    return externalColumns(ctx, "API");
  },
  // A run set to the database copies the rows the worker read into it first (chooseEngine).
  pushdown: () => ({ ok: false, reason: 'an HTTP API is read by the worker; set the engine to "database" to copy its rows into the database first' }),
  // Each column is the records' field of that name.
  lineage: (ctx) => ({ out: passThrough(ctx.outputs.out ?? [], [], DATASET_PORT) }),
  compile(_ctx, config) {
    return { kind: "load", source: "http", spec: { ...config } };
  },
});
