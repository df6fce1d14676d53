import { unlink } from "node:fs/promises";
import { dataFileListSchema, dataFileSchema, fileIdParamsSchema, filePreviewQuerySchema, previewResultSchema } from "@sluice/model";
import { inspectFileIsolated } from "@sluice/engine";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import type { DataFileRecord } from "./data-file.repository.ts";
import { receiveUpload } from "./upload.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";

const toDto = ({ storageKey: _k, options: _o, ...f }: DataFileRecord) => f;

/** Files are the request's workspace's: another workspace's file answers 404; uploads and deletions are audited. */
export const fileRoutes = (deps: Pick<Deps, "transaction" | "files" | "pipelines" | "previews" | "limits" | "log">) => [
  defineRoute({
    method: "post",
    path: "/files",
    tag: "files",
    action: "file.edit",
    summary: "Upload a CSV, TSV, JSON, NDJSON or Parquet file (multipart field \"file\"); its format and columns are detected",
    response: dataFileSchema,
    status: 201,
    errors: [413, 422],
    handler: async ({ req, res, auth }) => {
      const uploaded = await receiveUpload(req, res, { dir: deps.files.filesDir, maxBytes: deps.limits.uploadBytes });
      // In a child process: DuckDB parses the file there, so a file that crashes or hangs it cannot stop the server.
      const inspected = await inspectFileIsolated(uploaded.path, { name: uploaded.originalName }, { log: deps.log });
      if (!inspected.ok) {
        await unlink(uploaded.path).catch(() => undefined);
        const first = inspected.issues[0];
        throw new AppError(422, first?.code ?? "FILE_UNREADABLE", first?.message ?? "The file could not be read.", { problems: inspected.issues });
      }
      const file = { name: uploaded.originalName, size: uploaded.size, storageKey: uploaded.storageKey, ...inspected.value };
      const record = await deps
        .transaction(async (tx) => {
          const r = await deps.files.create(workspaceOf(auth), file, tx);
          await recordAudit(tx, auth, { action: "file.uploaded", resourceType: "file", resourceId: r.id, resourceLabel: r.name, details: { size: r.size, format: r.format } });
          return r;
        })
        .catch(async (e: unknown) => {
          // Nothing names a file that was never recorded: it goes.
          await unlink(uploaded.path).catch(() => undefined);
          throw e;
        });
      return { status: 201, body: toDto(record) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/files",
    tag: "files",
    action: "workspace.read",
    summary: "List uploaded files with size, format and columns",
    response: dataFileListSchema,
    handler: async ({ auth }) => ({ body: { files: (await deps.files.list(workspaceOf(auth))).map(toDto) } }),
  }),
  defineRoute({
    method: "get",
    path: "/files/:id",
    tag: "files",
    action: "workspace.read",
    summary: "One uploaded file's metadata",
    params: fileIdParamsSchema,
    response: dataFileSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const f = await deps.files.get(workspaceOf(auth), params.id);
      if (!f) throw notFound("file", params.id);
      return { body: toDto(f) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/files/:id/preview",
    tag: "files",
    action: "workspace.read",
    summary: "The first rows of a file, read as a file source would read it",
    params: fileIdParamsSchema,
    query: filePreviewQuerySchema,
    response: previewResultSchema,
    errors: [404],
    handler: async ({ params, query, auth }) => {
      const workspaceId = workspaceOf(auth);
      const f = await deps.files.get(workspaceId, params.id);
      if (!f) throw notFound("file", params.id);
      return { body: await deps.previews.previewFile(workspaceId, f, query.limit) };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/files/:id",
    tag: "files",
    action: "file.edit",
    summary: "Delete an uploaded file; refused while a pipeline uses it",
    params: fileIdParamsSchema,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      const users = await deps.pipelines.usingConfigValue(workspaceId, "fileId", params.id);
      if (users.length) {
        throw new AppError(409, "FILE_IN_USE", `Pipelines read this file: ${users.map((p) => `"${p.name}"`).join(", ")}. Remove it from them first.`, {
          pipelines: users,
        });
      }
      const removed = await deps.transaction(async (tx) => {
        const r = await deps.files.remove(workspaceId, params.id, tx);
        if (!r) throw notFound("file", params.id);
        await recordAudit(tx, auth, { action: "file.deleted", resourceType: "file", resourceId: r.id, resourceLabel: r.name, details: { size: r.size, format: r.format } });
        return r;
      });
      // Only once the row is gone for good: a rolled-back deletion keeps a file that pipelines can still read.
      await unlink(deps.files.pathOf(removed.storageKey)).catch(() => undefined);
      res.status(204).end();
      return undefined;
    },
  }),
];
