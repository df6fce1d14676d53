import { useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { fileNameExistsDetailsSchema, type DataFileInfoDto, type FileOnExists } from "@sluice/model";
import { ApiError } from "../api/client.ts";
import { announceChange } from "../api/cross-tab.ts";
import { fileKeys, freshFiles, uploadFile } from "../api/files.queries.ts";
import { NameConflictDialog, type NameConflict } from "./name-conflict-dialog.tsx";

/** An upload that was not made because the person chose Cancel when asked about a name that exists. */
export const CANCELLED = "cancelled" as const;

/** A stored upload, and what was chosen when its name existed. */
export interface Uploaded {
  file: DataFileInfoDto;
  choice: FileOnExists | undefined;
}

interface Pending extends NameConflict {
  resolve: (choice: FileOnExists | null) => void;
}

/**
 * Uploads files, asking first (Replace / Keep both / Cancel) when the workspace has a file of the same name: known
 * from the list just fetched, so a large file is not sent twice, or from the server's 409 FILE_NAME_EXISTS when
 * someone uploaded that name meanwhile. Several conflicts are asked one after another. Render `dialog`.
 */
export function useUpload(): { upload(file: File, onProgress: (fraction: number) => void): Promise<Uploaded | typeof CANCELLED>; dialog: ReactNode } {
  const qc = useQueryClient();
  const [queue, setQueue] = useState<Pending[]>([]);

  const ask = (conflict: NameConflict) => new Promise<FileOnExists | null>((resolve) => setQueue((q) => [...q, { ...conflict, resolve }]));
  // The dialog gets this render's `choose`, so `queue` here is the one it shows.
  const choose = (choice: FileOnExists | null) => {
    const [first] = queue;
    if (!first) return;
    setQueue((q) => q.slice(1));
    first.resolve(choice);
  };

  const upload = async (file: File, onProgress: (fraction: number) => void): Promise<Uploaded | typeof CANCELLED> => {
    const listed = (await freshFiles(qc)).files.find((f) => f.name === file.name);
    let choice: FileOnExists | undefined;
    if (listed) {
      const answer = await ask({ upload: file, existing: listed });
      if (!answer) return CANCELLED;
      choice = answer;
    }
    let uploaded: DataFileInfoDto;
    try {
      uploaded = await uploadFile(file, onProgress, choice);
    } catch (e) {
      const details = e instanceof ApiError && e.code === "FILE_NAME_EXISTS" ? fileNameExistsDetailsSchema.safeParse(e.details) : null;
      if (!details?.success || choice) throw e;
      const answer = await ask({ upload: file, existing: { id: details.data.fileId, name: details.data.name } });
      if (!answer) return CANCELLED;
      onProgress(0);
      choice = answer;
      uploaded = await uploadFile(file, onProgress, answer);
    }
    announceChange("files");
    await qc.invalidateQueries({ queryKey: fileKeys.all });
    return { file: uploaded, choice };
  };

  return { upload, dialog: <NameConflictDialog conflict={queue[0] ?? null} onChoose={choose} /> };
}
