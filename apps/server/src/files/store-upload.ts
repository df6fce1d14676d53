import { unlink } from "node:fs/promises";
import type { FileOnExists } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError } from "../http/app-error.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import type { DataFileRecord } from "./data-file.repository.ts";
import { copyStem, keepBothName, MAX_FILE_NAME_LENGTH } from "./file-name.ts";

type Content = Omit<DataFileRecord, "createdAt" | "id">;

export const nameExists = (existing: DataFileRecord) =>
  new AppError(409, "FILE_NAME_EXISTS", `A file named "${existing.name}" already exists. Replace it, or keep both (the new one gets a numbered name).`, {
    fileId: existing.id,
    name: existing.name,
  });

/**
 * Records a received and inspected upload. A name the workspace already has is refused (409 FILE_NAME_EXISTS)
 * unless `onExists` says what to do: `replace` gives the existing file the new content (it keeps its id, so pipelines
 * read the new content), `keep-both` stores it under a numbered name. Under the workspace's name lock, so two
 * uploads of one name cannot both find it free, and with the replaced row locked. The change and its audit entry are
 * one transaction; the replaced content's stored file is deleted only after it commits, and the new one if it fails.
 */
export async function storeUpload(
  deps: Pick<Deps, "transaction" | "files">,
  auth: RequestAuth,
  content: Content,
  onExists: FileOnExists | undefined,
): Promise<DataFileRecord> {
  const workspaceId = workspaceOf(auth);
  let oldStorageKey: string | undefined;
  const result = await deps
    .transaction(async (tx) => {
      await deps.files.lockNames(workspaceId, tx);
      const existing = await deps.files.findByName(workspaceId, content.name, tx);
      if (existing && !onExists) throw nameExists(existing);
      if (existing && onExists === "replace") {
        const r = await deps.files.replaceContent(workspaceId, existing.id, content, tx);
        if (!r) throw new Error(`file ${existing.id} vanished under its row lock`);
        oldStorageKey = r.before.storageKey;
        await recordAudit(tx, auth, {
          action: "file.replaced",
          resourceType: "file",
          resourceId: r.after.id,
          resourceLabel: r.after.name,
          details: { size: r.after.size, format: r.after.format, previousSize: r.before.size, previousFormat: r.before.format },
        });
        return r.after;
      }
      const name = existing
        ? keepBothName(content.name, await deps.files.namesStartingWith(workspaceId, copyStem(content.name).slice(0, MAX_FILE_NAME_LENGTH - 16), tx))
        : content.name;
      const r = await deps.files.create(workspaceId, { ...content, name }, tx);
      await recordAudit(tx, auth, {
        action: "file.uploaded",
        resourceType: "file",
        resourceId: r.id,
        resourceLabel: r.name,
        details: { size: r.size, format: r.format, ...(name !== content.name ? { uploadedAs: content.name } : {}) },
      });
      return r;
    })
    .catch(async (e: unknown) => {
      // Nothing names a file that was never recorded: it goes, and a replaced file keeps its old content.
      await unlink(deps.files.pathOf(content.storageKey)).catch(() => undefined);
      throw e;
    });
  // Only once the new content is recorded: a failed replace leaves the old one readable.
  if (oldStorageKey) await unlink(deps.files.pathOf(oldStorageKey)).catch(() => undefined);
  return result;
}
