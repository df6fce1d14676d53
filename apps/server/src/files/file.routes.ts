import { unlink } from "node:fs/promises";
import { dataFileListSchema, dataFileSchema, fileIdParamsSchema, filePipelinesSchema, filePreviewQuerySchema, previewResultSchema, uploadFileQuerySchema } from "@sluice/model";
import { inspectFileIsolated } from "@sluice/engine";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import type { DataFileRecord } from "./data-file.repository.ts";
import { receiveUpload } from "./upload.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { nameExists, storeUpload } from "./store-upload.ts";
import { fileChecksum, startOnUpload } from "../triggers/start-on-upload.ts";
import { previewCaller } from "../preview/preview.facade.ts";

const toDto = ({ storageKey: _k, options: _o, ...f }: DataFileRecord) => f;

/** Files are the request's workspace's: another workspace's file answers 404; uploads, replacements and deletions are audited. */
export const fileRoutes = (deps: Pick<Deps, "transaction" | "files" | "pipelines" | "previews" | "limits" | "log" | "runs" | "fileWatches">) => [
  defineRoute({
    method: "post",
    path: "/files",
    tag: "files",
    action: "file.edit",
    summary:
      'Upload a CSV, TSV, JSON, NDJSON or Parquet file (multipart field "file"); its format and columns are detected. A name the workspace has is refused (409 FILE_NAME_EXISTS, with the file\'s id) unless onExists is replace (same id, new content) or keep-both (a numbered name)',
    query: uploadFileQuerySchema,
    response: dataFileSchema,
    status: 201,
    errors: [409, 413, 422],
    handler: async ({ req, res, query, auth }) => {
      const uploaded = await receiveUpload(req, res, { dir: deps.files.filesDir, maxBytes: deps.limits.uploadBytes });
      const drop = () => unlink(uploaded.path).catch(() => undefined);
      // Asked before the file is inspected, to answer at once; asked again under the lock when it is recorded.
      const existing = query.onExists ? null : await deps.files.findByName(workspaceOf(auth), uploaded.originalName);
      if (existing) {
        await drop();
        throw nameExists(existing);
      }
      // In a child process: DuckDB parses the file there, so a file that crashes or hangs it cannot stop the server.
      const inspected = await inspectFileIsolated(uploaded.path, { name: uploaded.originalName }, { log: deps.log });
      if (!inspected.ok) {
        await drop();
        const first = inspected.issues[0];
        throw new AppError(422, first?.code ?? "FILE_UNREADABLE", first?.message ?? "The file could not be read.", { problems: inspected.issues });
      }
      const file = { name: uploaded.originalName, size: uploaded.size, storageKey: uploaded.storageKey, ...inspected.value };
      const checksum = await fileChecksum(uploaded.path);
      const stored = await storeUpload(deps, auth, file, query.onExists);
      // Awaited, so the answer comes once watching pipelines have their run queued (or were told it is a repeat).
      await startOnUpload({ workspaceId: workspaceOf(auth), file: { id: stored.id, name: stored.name, checksum }, fileWatches: deps.fileWatches, runs: deps.runs, log: deps.log });
      return { status: 201, body: toDto(stored) };
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
    path: "/files/:id/pipelines",
    tag: "files",
    action: "workspace.read",
    summary: "The pipelines whose current version reads a file (those a replace changes and a deletion would break)",
    params: fileIdParamsSchema,
    response: filePipelinesSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const workspaceId = workspaceOf(auth);
      if (!(await deps.files.get(workspaceId, params.id))) throw notFound("file", params.id);
      return { body: { pipelines: await deps.pipelines.usingConfigValue(workspaceId, "fileId", params.id) } };
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
    errors: [404, 429],
    handler: async ({ params, query, auth, res }) => {
      const workspaceId = workspaceOf(auth);
      const f = await deps.files.get(workspaceId, params.id);
      if (!f) throw notFound("file", params.id);
      return { body: await deps.previews.previewFile(workspaceId, f, query.limit, previewCaller(auth, res)) };
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
