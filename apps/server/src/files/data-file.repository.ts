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

/** First key of the advisory lock on a workspace's file names (the second is the workspace's hash). */
const FILE_NAMES_LOCK = 0x5f11e5;

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
    /**
     * Holds, until `tx` ends, the workspace's lock on file names, so that checking a name and storing a file under it
     * happen as one: two uploads of the same name at once cannot both find it free. Held for milliseconds: files are
     * received and inspected before it is taken.
     */
    async lockNames(workspaceId: string, tx: Tx) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FILE_NAMES_LOCK}::int, hashtext(${workspaceId}))`;
    },
    /**
     * The newest file of the workspace named exactly `name`, or null; with `tx`, its row stays locked (FOR UPDATE)
     * until `tx` ends, so a replace and a deletion or another replace of it wait for each other.
     */
    async findByName(workspaceId: string, name: string, tx?: Tx) {
      if (tx) {
        const [row] = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM data_files WHERE workspace_id = ${workspaceId}::uuid AND original_name = ${name}
          ORDER BY created_at DESC, id LIMIT 1 FOR UPDATE`;
        return row ? toRecord(await tx.dataFile.findUniqueOrThrow({ where: { id: row.id } })) : null;
      }
      const r = await db.dataFile.findFirst({ where: { workspaceId, originalName: name }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
      return r ? toRecord(r) : null;
    },
    /**
     * The workspace's file names that start with `prefix`, literally. Not Prisma's `startsWith`, which sends the prefix
     * as a LIKE pattern without escaping it: a file named "%.csv" or "_.csv" matched every name of the workspace.
     */
    async namesStartingWith(workspaceId: string, prefix: string, tx: Tx | Db = db) {
      const rows = await tx.$queryRaw<{ name: string }[]>`
        SELECT original_name AS name FROM data_files WHERE workspace_id = ${workspaceId}::uuid AND starts_with(original_name, ${prefix})`;
      return new Set(rows.map((r) => r.name));
    },
    /**
     * Puts new content under file `id` (same id and name): its stored file, size, format, columns, options, row
     * count and renamed headers, and its upload time. Returns the record as it was, whose stored file is the caller's
     * to delete once `tx` has committed.
     */
    async replaceContent(workspaceId: string, id: string, content: Omit<DataFileRecord, "createdAt" | "id" | "name">, tx: Tx) {
      const before = await tx.dataFile.findFirst({ where: { id, workspaceId } });
      if (!before) return null;
      const after = await tx.dataFile.update({
        where: { id },
        data: {
          size: BigInt(content.size),
          format: content.format,
          columns: content.columns as unknown as Prisma.InputJsonArray,
          options: content.options as Prisma.InputJsonObject,
          rowCount: content.rowCount === null ? null : BigInt(content.rowCount),
          renamedColumns: content.renamedColumns as unknown as Prisma.InputJsonArray,
          storageKey: content.storageKey,
          createdAt: new Date(),
        },
      });
      return { before: toRecord(before), after: toRecord(after) };
    },
    /** The removed file's record (its stored file is the caller's to delete), or null when the workspace has no such file. */
    async remove(workspaceId: string, id: string, tx: Tx | Db = db) {
      if (!isUuid(id)) return null;
      // Read under the row lock a replace takes: a replace committed meanwhile gave the row another stored file, and
      // the caller must delete that one, not the one the replace already removed.
      await tx.$queryRaw`SELECT 1 FROM data_files WHERE id = ${id}::uuid AND workspace_id = ${workspaceId}::uuid FOR UPDATE`;
      const r = await tx.dataFile.findFirst({ where: { id, workspaceId } });
      if (!r) return null;
      const { count } = await tx.dataFile.deleteMany({ where: { id, workspaceId } });
      return count ? toRecord(r) : null;
    },
  };
}

export type DataFileRepository = ReturnType<typeof dataFileRepository>;
