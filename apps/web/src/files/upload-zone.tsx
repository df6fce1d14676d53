import { useRef, useState, type DragEvent } from "react";
import type { RenamedColumn } from "@sluice/model";
import { Button } from "../components/button.tsx";
import { RenamedColumnsNote } from "./renamed-columns-note.tsx";
import { CANCELLED, useUpload } from "./use-upload.tsx";
import { formatPercent } from "../lib/format-percent.ts";

interface Upload {
  key: number;
  name: string;
  progress: number;
  error: string | null;
  done: boolean;
  /** The name it was stored under, when that is not its own (kept beside a file of the same name). */
  storedAs: string | null;
  replaced: boolean;
  cancelled: boolean;
  renamed: RenamedColumn[];
}

/**
 * Drop files here or pick them; each upload shows its progress, and a refused one says why. A name that exists is
 * asked about first (Replace / Keep both / Cancel).
 */
export function UploadZone() {
  const { upload, dialog } = useUpload();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const patch = (key: number, p: Partial<Upload>) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, ...p } : x)));

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = Date.now() + Math.random();
      setUploads((u) => [...u, { key, name: file.name, progress: 0, error: null, done: false, storedAs: null, replaced: false, cancelled: false, renamed: [] }]);
      upload(file, (progress) => patch(key, { progress }))
        .then((uploaded) => {
          if (uploaded === CANCELLED) patch(key, { cancelled: true, done: true });
          else
            patch(key, {
              progress: 1,
              done: true,
              renamed: uploaded.file.renamedColumns,
              replaced: uploaded.choice === "replace",
              storedAs: uploaded.file.name === file.name ? null : uploaded.file.name,
            });
        })
        .catch((e: unknown) => patch(key, { error: e instanceof Error ? e.message : String(e) }));
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length > 0) start(e.dataTransfer.files);
  };

  return (
    <div className="mb-6">
      <div
        data-testid="upload-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`rounded-lg border-2 border-dashed p-6 text-center text-sm ${over ? "border-cyan-600 bg-cyan-50" : "border-slate-300 bg-white"}`}
      >
        <p className="mb-2 text-slate-700">Drop CSV, TSV, JSON, NDJSON or Parquet files here</p>
        <Button onClick={() => input.current?.click()}>Choose files…</Button>
        <input
          ref={input}
          type="file"
          multiple
          aria-label="Files to upload"
          className="sr-only"
          accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.parquet"
          onChange={(e) => {
            if (e.target.files) start(e.target.files);
            e.target.value = "";
          }}
        />
      </div>
      {uploads.length > 0 && (
        <ul className="mt-2 space-y-1" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.key} className="text-sm">
              <div className="flex items-center gap-2">
                <span className="w-48 truncate">{u.name}</span>
                <progress className="h-2 flex-1" value={u.progress} max={1} aria-label={`Upload of ${u.name}`} />
                <span className="w-40 text-right text-xs text-slate-600">{u.error ? "failed" : u.cancelled ? "not uploaded" : u.done ? (u.replaced ? "replaced" : u.storedAs ? `uploaded as ${u.storedAs}` : "uploaded") : formatPercent(u.progress, 1)}</span>
                {(u.done || u.error) && (
                  <button type="button" className="text-xs text-slate-500 hover:underline" onClick={() => setUploads((x) => x.filter((y) => y.key !== u.key))}>
                    Dismiss
                  </button>
                )}
              </div>
              <RenamedColumnsNote renamed={u.renamed} />
              {u.error && (
                <p role="alert" className="text-xs text-red-700">
                  {u.name}: {u.error}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {dialog}
    </div>
  );
}
