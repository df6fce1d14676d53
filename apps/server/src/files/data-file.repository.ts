import path from "node:path";
import { columnSchema, isUuid, renamedColumnSchema, type Column, type RenamedColumn } from "@sluice/model";
import { z } from "zod";
import type { Db, Tx } from "../db/prisma.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export const dataFileFormatSchema = z.enum(["csv", "tsv", "json", "ndjson", "parquet"]);
export type DataFileFormat = z.infer<typeof dataFileFormatSchema>;

export const fileOptionsSchema = z
  .object({ delimiter: z.string().optional(), header: z.boolean().optional(), quote: z.string().optional(), nullStrings: z.array(z.string()).optional() })
  .passthrough();

export interface DataFileRecord {
  id: string;
  name: string;
  size: number;
  format: DataFileFormat;
  columns: Column[];
  options: z.infer<typeof fileOptionsSchema>;
  rowCount: number | null;
  renamedColumns: RenamedColumn[];
  storageKey: string;
  createdAt: string;
}

type Row = Awaited<ReturnType<Db["dataFile"]["findUniqueOrThrow"]>>;

const toRecord = (r: Row): DataFileRecord => ({
  id: r.id,
  name: r.originalName,
  size: Number(r.size),
  format: dataFileFormatSchema.parse(r.format),
  columns: z.array(columnSchema).parse(r.columns),
  options: fileOptionsSchema.parse(r.options),
  rowCount: r.rowCount === null ? null : Number(r.rowCount),
  renamedColumns: z.array(renamedColumnSchema).parse(r.renamedColumns),
  storageKey: r.storageKey,
  createdAt: r.createdAt.toISOString(),
});

/**
 * Uploaded files live under DATA_DIR/files with generated names; the table keeps what reads need. A file belongs to
 * a workspace: every method takes its id first, and a file of another workspace is not found.
 */
export function dataFileRepository(db: Db, filesDir: string) {
  return {
    filesDir,
    pathOf: (storageKey: string) => path.join(filesDir, storageKey),
    async list(workspaceId: string) {
      return (await db.dataFile.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] })).map(toRecord);
    },
    async get(workspaceId: string, id: string) {
      // Ids come from graphs people write too: one that is not a UUID names no file (and must not reach a uuid cast).
      if (!isUuid(id)) return null;
      const r = await db.dataFile.findFirst({ where: { id, workspaceId } });
      return r ? toRecord(r) : null;
    },
    /** The workspace's files among `ids`; ids of other workspaces' files are left out, as unknown ones are. */
    async getMany(workspaceId: string, ids: string[]) {
      const uuids = ids.filter(isUuid);
      if (!uuids.length) return [];
      return (await db.dataFile.findMany({ where: { id: { in: uuids }, workspaceId } })).map(toRecord);
    },
    async create(workspaceId: string, input: Omit<DataFileRecord, "createdAt" | "id"> & { id?: string }, tx: Tx | Db = db) {
      const r = await tx.dataFile.create({
        data: {
          ...(input.id ? { id: input.id } : {}),
          workspaceId,
          originalName: input.name,
          size: BigInt(input.size),
          format: input.format,
          columns: input.columns as unknown as Prisma.InputJsonArray,
          options: input.options as Prisma.InputJsonObject,
          rowCount: input.rowCount === null ? null : BigInt(input.rowCount),
          renamedColumns: input.renamedColumns as unknown as Prisma.InputJsonArray,
          storageKey: input.storageKey,
        },
      });
      return toRecord(r);
    },
    /** The removed file's record (its stored file is the caller's to delete), or null when the workspace has no such file. */
    async remove(workspaceId: string, id: string, tx: Tx | Db = db) {
      if (!isUuid(id)) return null;
      const r = await tx.dataFile.findFirst({ where: { id, workspaceId } });
      if (!r) return null;
      const { count } = await tx.dataFile.deleteMany({ where: { id, workspaceId } });
      return count ? toRecord(r) : null;
    },
  };
}

export type DataFileRepository = ReturnType<typeof dataFileRepository>;
