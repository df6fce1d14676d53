import path from "node:path";
import { columnSchema, type Column } from "@sluice/model";
import { z } from "zod";
import type { Db } from "../db/prisma.ts";
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
  storageKey: r.storageKey,
  createdAt: r.createdAt.toISOString(),
});

/** Uploaded files live under DATA_DIR/files with generated names; the table keeps what reads need. */
export function dataFileRepository(db: Db, filesDir: string) {
  return {
    filesDir,
    pathOf: (storageKey: string) => path.join(filesDir, storageKey),
    async list() {
      return (await db.dataFile.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }] })).map(toRecord);
    },
    async get(id: string) {
      const r = await db.dataFile.findUnique({ where: { id } });
      return r ? toRecord(r) : null;
    },
    async getMany(ids: string[]) {
      if (!ids.length) return [];
      return (await db.dataFile.findMany({ where: { id: { in: ids } } })).map(toRecord);
    },
    async create(input: Omit<DataFileRecord, "createdAt" | "id"> & { id?: string }) {
      const r = await db.dataFile.create({
        data: {
          ...(input.id ? { id: input.id } : {}),
          originalName: input.name,
          size: BigInt(input.size),
          format: input.format,
          columns: input.columns as unknown as Prisma.InputJsonArray,
          options: input.options as Prisma.InputJsonObject,
          rowCount: input.rowCount === null ? null : BigInt(input.rowCount),
          storageKey: input.storageKey,
        },
      });
      return toRecord(r);
    },
    async remove(id: string) {
      const r = await db.dataFile.delete({ where: { id } }).catch(() => null);
      return r ? toRecord(r) : null;
    },
  };
}

export type DataFileRepository = ReturnType<typeof dataFileRepository>;
