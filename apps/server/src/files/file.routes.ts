import { unlink } from "node:fs/promises";
import { dataFileListSchema, dataFileSchema, fileIdParamsSchema, filePreviewQuerySchema, previewResultSchema } from "@sluice/model";
import { inspectFileIsolated } from "@sluice/engine";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import type { DataFileRecord } from "./data-file.repository.ts";
import { receiveUpload } from "./upload.ts";

const toDto = ({ storageKey: _k, options: _o, ...f }: DataFileRecord) => f;

export const fileRoutes = (deps: Deps) => [
  defineRoute({
    method: "post",
    path: "/files",
    tag: "files",
    action: "file.edit",
    summary: "Upload a CSV, TSV, JSON, NDJSON or Parquet file (multipart field \"file\"); its format and columns are detected",
    response: dataFileSchema,
    status: 201,
    errors: [413, 422],
    handler: async ({ req, res }) => {
      const uploaded = await receiveUpload(req, res, { dir: deps.files.filesDir, maxBytes: deps.limits.uploadBytes });
      // In a child process: DuckDB parses the file there, so a file that crashes or hangs it cannot stop the server.
      const inspected = await inspectFileIsolated(uploaded.path, { name: uploaded.originalName }, { log: deps.log });
      if (!inspected.ok) {
        await unlink(uploaded.path).catch(() => undefined);
        const first = inspected.issues[0];
        throw new AppError(422, first?.code ?? "FILE_UNREADABLE", first?.message ?? "The file could not be read.", { problems: inspected.issues });
      }
      const record = await deps.files.create({
        name: uploaded.originalName,
        size: uploaded.size,
        storageKey: uploaded.storageKey,
        ...inspected.value,
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
    handler: async () => ({ body: { files: (await deps.files.list()).map(toDto) } }),
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
    handler: async ({ params }) => {
      const f = await deps.files.get(params.id);
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
    handler: async ({ params, query }) => {
      const f = await deps.files.get(params.id);
      if (!f) throw notFound("file", params.id);
      return { body: await deps.previews.previewFile(f, query.limit) };
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
    handler: async ({ params, res }) => {
      const users = await deps.pipelines.usingConfigValue("fileId", params.id);
      if (users.length) {
        throw new AppError(409, "FILE_IN_USE", `Pipelines read this file: ${users.map((p) => `"${p.name}"`).join(", ")}. Remove it from them first.`, {
          pipelines: users,
        });
      }
      const removed = await deps.files.remove(params.id);
      if (!removed) throw notFound("file", params.id);
      await unlink(deps.files.pathOf(removed.storageKey)).catch(() => undefined);
      res.status(204).end();
      return undefined;
    },
  }),
];
