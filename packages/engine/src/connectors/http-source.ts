import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { error, fail, ok, type Column, type Issue, type Result } from "@sluice/model";
import { httpSourceConfigIssues, httpSourceConfigSchema, type HttpSourceConfig } from "@sluice/pipeline";
import type { HttpCredentialResolver, HttpCredentialSecret, LoadContext } from "../connector.ts";
import type { HttpGuardOptions } from "./http/address-guard.ts";
import { fetchJson, type JsonResponse } from "./http/guarded-fetch.ts";
import { findCredential, jsonWithoutSecrets, prepareRequest, withoutSecrets } from "./http/http-credential.ts";
import { extractRecords, fieldText, flattenRecord, inferColumns, valueAt } from "./http/http-records.ts";
import { createTableFromStagedCsv, csvField } from "./duck-load.ts";
import type { LoadResult } from "./load-result.ts";

const SAMPLE_RECORDS = 1000;
/**
 * Most columns an HTTP source may have. DuckDB's work per statement grows faster than linearly in the number of
 * columns, and not interruptibly: one record with 100,000 keys held the preview lane (and a SIGTERM'd process)
 * for many minutes.
 */
export const MAX_HTTP_COLUMNS = 1000;
const DEFAULT_MAX_TOTAL_BYTES = 500 * 1024 * 1024;

function parseConfig(raw: unknown, nodeId: string): Result<HttpSourceConfig> {
  const parsed = httpSourceConfigSchema.safeParse(raw);
  if (!parsed.success) return fail(error("INVALID_CONFIG", "The source's settings are not valid.", { nodeId }));
  const issues = httpSourceConfigIssues(parsed.data, nodeId);
  return issues.length ? fail(...issues) : ok(parsed.data);
}

/** Walks the pages: yields each page's request URL, and learns from each response where the next one is. */
class Pages {
  private page: number;
  private offset = 0;
  private next: string | undefined;
  private readonly seen = new Set<string>();
  done = false;

  constructor(private readonly config: HttpSourceConfig) {
    this.page = config.pagination.kind === "page" ? config.pagination.start : 0;
    this.next = config.url;
  }

  url(): string {
    const p = this.config.pagination;
    const url = new URL(this.next ?? this.config.url);
    if (p.kind === "page") url.searchParams.set(p.param, String(this.page));
    if (p.kind === "offset") {
      url.searchParams.set(p.param, String(this.offset));
      url.searchParams.set(p.limitParam, String(p.limit));
    }
    return url.toString();
  }

  /** Moves on after a response; `done` turns true when there is nothing more to fetch. */
  advance(response: JsonResponse, records: number) {
    const p = this.config.pagination;
    switch (p.kind) {
      case "none":
        this.done = true;
        return;
      case "page":
        this.page++;
        this.done = records === 0 || (p.size !== undefined && records < p.size);
        return;
      case "offset":
        this.offset += p.limit;
        this.done = records < p.limit;
        return;
      case "cursor": {
        const at = valueAt(response.json, p.cursorPath);
        const cursor = at.found && at.value !== null && at.value !== "" ? String(at.value) : undefined;
        this.done = cursor === undefined || records === 0 || this.seen.has(cursor);
        if (cursor !== undefined) {
          this.seen.add(cursor);
          const url = new URL(this.config.url);
          url.searchParams.set(p.param, cursor);
          this.next = url.toString();
        }
        return;
      }
      case "nextLink": {
        const at = valueAt(response.json, p.path);
        const link = at.found && typeof at.value === "string" && at.value !== "" ? new URL(at.value, response.url).toString() : undefined;
        // The page just read counts as seen before the link is judged: a page that links to itself is read once.
        this.seen.add(response.url);
        this.done = link === undefined || this.seen.has(link);
        if (link) this.seen.add(link);
        this.next = link;
        return;
      }
      default: {
        const never: never = p;
        throw new Error(`unknown pagination ${JSON.stringify(never)}`);
      }
    }
  }
}

const attribute = (issues: Issue[], nodeId: string) => issues.map((i) => ({ ...i, nodeId, field: i.field ?? "url" }));

/**
 * Fetches one page with the node's headers and, where it may go, its credential's secret headers and query
 * parameters. The URL with those parameters is only handed to the request: Pages keeps and logs URLs without them.
 */
async function fetchPage(config: HttpSourceConfig, credential: HttpCredentialSecret | undefined, url: string, guard: HttpGuardOptions, signal: AbortSignal, nodeId: string) {
  const request = prepareRequest(config.headers, credential, url, nodeId);
  if (!request.ok) return request;
  const { url: withSecrets, headers } = request.value;
  const response = await fetchJson({ url: withSecrets, method: config.method, headers, body: config.method === "POST" ? config.body : undefined }, guard, signal);
  if (!response.ok) return fail<JsonResponse>(...attribute(response.issues, nodeId));
  // Relative next links resolve against the page's URL; it goes on without the secret parameters.
  const pageUrl = new URL(response.value.url);
  for (const p of credential?.queryParams ?? []) pageUrl.searchParams.delete(p.name);
  // Nothing the API echoes of the credential reaches records, columns or cursors (a next link then gets the
  // secret query parameters set again by prepareRequest, as any link does).
  return ok({ ...response.value, url: pageUrl.toString(), json: jsonWithoutSecrets(response.value.json, credential) });
}

/**
 * The columns of an HTTP source, from the records of its first page. For the server's validation. A node that
 * names an HTTP credential needs `credentials` (the server's store); no message it returns quotes a secret.
 */
export async function sampleHttpSource(rawConfig: unknown, guard: HttpGuardOptions, nodeId = "", credentials?: HttpCredentialResolver): Promise<Result<Column[]>> {
  const parsed = parseConfig(rawConfig, nodeId);
  if (!parsed.ok) return parsed;
  const credential = await findCredential(parsed.value.credentialId, credentials, nodeId);
  if (!credential.ok) return credential;
  return withoutSecrets(await sample(parsed.value, credential.value, guard, nodeId), credential.value);
}

async function sample(config: HttpSourceConfig, credential: HttpCredentialSecret | undefined, guard: HttpGuardOptions, nodeId: string): Promise<Result<Column[]>> {
  const response = await fetchPage(config, credential, new Pages(config).url(), guard, AbortSignal.timeout((guard.timeoutMs ?? 30_000) * 2), nodeId);
  if (!response.ok) return response;
  const records = extractRecords(response.value.json, config.recordsPath);
  if (!records.ok) return fail(...attribute(records.issues, nodeId));
  if (records.value.length === 0) {
    return fail(error("HTTP_NO_RECORDS", "The first page has no records, so the columns cannot be known; check the URL and the records path.", { nodeId, field: "recordsPath" }));
  }
  const columns = inferColumns(records.value.slice(0, SAMPLE_RECORDS));
  if (columns.length > MAX_HTTP_COLUMNS) {
    return fail(
      error("HTTP_TOO_MANY_COLUMNS", `The records have ${columns.length} columns (after flattening one level); at most ${MAX_HTTP_COLUMNS} can be read. Point the records path at something narrower.`, {
        nodeId,
        field: "recordsPath",
      }),
    );
  }
  return ok(columns);
}

async function write(out: WriteStream, text: string) {
  if (!out.write(text)) await once(out, "drain");
}

/**
 * Loads an HTTP source into `ctx.table`: fetches every page (at most maxPages) through the address guard,
 * flattens each record into the sampled columns, stages them as CSV in the work folder, and has DuckDB
 * read that with the sampled types. A value that no longer fits its column fails the load.
 */
export async function loadHttpSource(ctx: LoadContext, spec: Record<string, unknown>, guard: HttpGuardOptions, credentials?: HttpCredentialResolver): Promise<Result<LoadResult>> {
  const parsed = parseConfig(spec, ctx.nodeId);
  if (!parsed.ok) return parsed;
  const credential = await findCredential(parsed.value.credentialId, credentials, ctx.nodeId);
  if (!credential.ok) return credential;
  return withoutSecrets(await load(ctx, parsed.value, credential.value, guard), credential.value);
}

async function load(ctx: LoadContext, config: HttpSourceConfig, credential: HttpCredentialSecret | undefined, guard: HttpGuardOptions): Promise<Result<LoadResult>> {
  const staged = path.join(ctx.workDir, `http-${ctx.nodeId}-${randomUUID()}.csv`);
  const out = createWriteStream(staged);
  const pages = new Pages(config);
  const maxTotal = guard.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  let rows = 0;
  let bytes = 0;
  let fetched = 0;
  try {
    while (!pages.done) {
      if (fetched === config.maxPages) {
        ctx.log("warn", `Stopped after ${config.maxPages} pages (the node's page limit); the API may have more records.`);
        break;
      }
      const response = await fetchPage(config, credential, pages.url(), guard, ctx.signal, ctx.nodeId);
      if (!response.ok) return response;
      fetched++;
      bytes += response.value.bytes;
      if (bytes > maxTotal) return fail(error("HTTP_TOO_LARGE", `The responses add up to more than ${maxTotal} bytes; narrow the request.`, { nodeId: ctx.nodeId }));
      const records = extractRecords(response.value.json, config.recordsPath);
      if (!records.ok) return fail(...attribute(records.issues, ctx.nodeId));
      for (const [index, record] of records.value.entries()) {
        // One 50 MB page can hold millions of records: a cancel, timeout or preview budget stops between them.
        if (ctx.signal.aborted) return fail(error("LOAD_CANCELLED", "The load was cancelled.", { nodeId: ctx.nodeId }));
        const values = new Map(flattenRecord(record));
        const fields: string[] = [];
        for (const column of ctx.columns) {
          const f = fieldText(values.get(column.name), column);
          if (!f.ok) {
            return fail(
              error("HTTP_SCHEMA_CHANGED", `Record ${index + 1} of page ${fetched}: "${column.name}" ${f.reason}. The API's data no longer matches the sampled columns; validate the pipeline again.`, { nodeId: ctx.nodeId }),
            );
          }
          fields.push(csvField(f.text));
        }
        await write(out, `${fields.join(",")}\n`);
        rows++;
      }
      pages.advance(response.value, records.value.length);
    }
    out.end();
    await once(out, "close");
    if (ctx.signal.aborted) return fail(error("LOAD_CANCELLED", "The load was cancelled.", { nodeId: ctx.nodeId }));
    await createTableFromStagedCsv(ctx.duck, ctx.table, staged, ctx.columns);
    ctx.log("info", `Read ${rows} records from ${fetched} page${fetched === 1 ? "" : "s"}.`);
    return ok({ rowsLoaded: rows });
  } catch (e) {
    return fail(error("LOAD_FAILED", `The records could not be stored: ${(e as Error).message}`, { nodeId: ctx.nodeId }));
  } finally {
    if (!out.closed) {
      // A load that stops early (a failed page) abandons the file: a write still pending may fail, harmlessly.
      out.on("error", () => undefined);
      // Destroyed before its file was opened, the stream still creates it: wait for that, or it outlives the unlink.
      const closed = once(out, "close").catch(() => undefined);
      out.destroy();
      await closed;
    }
    await unlink(staged).catch(() => undefined);
  }
}
