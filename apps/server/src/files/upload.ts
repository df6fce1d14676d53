import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { pipeline as streamPipeline } from "node:stream/promises";
import path from "node:path";
import type { Request, Response } from "express";
import multer from "multer";
import { AppError } from "../http/app-error.ts";
import { fileNameProblem } from "./file-name.ts";

export interface UploadedFile {
  originalName: string;
  storageKey: string;
  path: string;
  size: number;
}

const EXTENSIONS = new Set([".csv", ".tsv", ".txt", ".json", ".ndjson", ".jsonl", ".parquet"]);

/**
 * Streams one multipart file (field "file") to disk under a generated name; the user's file name is kept
 * only as metadata, never as a path. A body over the limit is cut off, its partial file removed, and 413 answered.
 */
export function receiveUpload(req: Request, res: Response, o: { dir: string; maxBytes: number }): Promise<UploadedFile> {
  mkdirSync(o.dir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({
      destination: o.dir,
      filename: (_req, file, cb) => {
        const ext = path.extname(file.originalname).toLowerCase();
        cb(null, `${randomUUID()}${EXTENSIONS.has(ext) ? ext : ""}`);
      },
    }),
    limits: { fileSize: o.maxBytes, files: 1, fields: 10, parts: 20 },
    // Runs before anything is written, so a refused name leaves no file behind.
    fileFilter: (_req, file, cb) => {
      const problem = fileNameProblem(file.originalname);
      if (problem) cb(new AppError(400, "FILE_NAME_INVALID", problem, { field: "file" }));
      else cb(null, true);
    },
  }).single("file");

  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      const file = req.file;
      if (err) {
        if (file) void unlink(file.path).catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (err instanceof AppError) {
          reject(err);
        } else if (code === "LIMIT_FILE_SIZE") {
          reject(new AppError(413, "FILE_TOO_LARGE", `The file is larger than the upload limit of ${formatBytes(o.maxBytes)}.`));
        } else if (code?.startsWith("LIMIT_")) {
          reject(new AppError(400, "UPLOAD_INVALID", `Send exactly one file in the form field "file" (${(err as Error).message}).`));
        } else if (err instanceof Error && !("syscall" in err)) {
          // Everything but a failing disk is the form's doing (busboy: "Malformed part header", "Unexpected end of form", …).
          reject(new AppError(400, "UPLOAD_INVALID", `The upload is not a valid multipart form: ${err.message}.`));
        } else {
          reject(err);
        }
        return;
      }
      if (!file) {
        reject(new AppError(400, "NO_FILE", 'Send the file as multipart/form-data in a field named "file".'));
        return;
      }
      withoutByteOrderMark(file.path, file.size).then(
        (size) => resolve({ originalName: file.originalname, storageKey: file.filename, path: file.path, size }),
        (e: unknown) => {
          void unlink(file.path).catch(() => undefined);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  });
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Removes a UTF-8 byte order mark from the start of a stored upload (Windows tools write one) and answers the size
 * without it. It carries no data, CSV reads the same without it, and DuckDB's JSON reader refuses a file with one
 * ("Failed to cast value to numerical", "byte order mark (BOM) is not supported").
 */
export async function withoutByteOrderMark(file: string, size: number): Promise<number> {
  const start = Buffer.alloc(3);
  const handle = await open(file, "r");
  try {
    const { bytesRead } = await handle.read(start, 0, 3, 0);
    if (bytesRead < 3 || !start.equals(BOM)) return size;
  } finally {
    await handle.close();
  }
  const rest = `${file}.bom`;
  try {
    await streamPipeline(createReadStream(file, { start: 3 }), createWriteStream(rest, { flags: "wx" }));
    await rename(rest, file);
  } catch (e) {
    await unlink(rest).catch(() => undefined);
    throw e;
  }
  return size - 3;
}

export function formatBytes(n: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
