import { useRef, useState } from "react";
import { useCan } from "../auth/use-can.ts";
import { Button } from "../components/button.tsx";
import { CANCELLED, useUpload } from "./use-upload.tsx";
import { formatPercent } from "../lib/format-percent.ts";

/**
 * "Upload a file…" where a file source needs one: uploads as the Files page does (asking about a name that exists)
 * and gives the stored file's id to `onUploaded` (the picker selects it). Someone who may not upload sees why.
 */
export function UploadButton({ onUploaded }: { onUploaded: (id: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const { upload, dialog } = useUpload();
  const allowed = useCan("file.edit", "upload files");
  const [state, setState] = useState<{ progress: number } | { error: string } | null>(null);
  const start = (file: File) => {
    setState({ progress: 0 });
    upload(file, (progress) => setState({ progress }))
      .then((u) => {
        setState(null);
        if (u !== CANCELLED) onUploaded(u.file.id);
      })
      .catch((e: unknown) => setState({ error: e instanceof Error ? e.message : String(e) }));
  };
  return (
    <div className="mt-1">
      <Button variant="ghost" className="px-1.5 py-0.5 text-xs" disabled={!allowed.allowed || (state !== null && "progress" in state)} onClick={() => input.current?.click()}>
        {state && "progress" in state ? `Uploading… ${formatPercent(state.progress, 1)}` : "Upload a file…"}
      </Button>
      <input
        ref={input}
        type="file"
        aria-label="File to upload"
        className="sr-only"
        tabIndex={-1}
        accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.parquet"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) start(file);
          e.target.value = "";
        }}
      />
      {allowed.reason && <p className="text-xs text-slate-600">{allowed.reason}</p>}
      {state && "error" in state && (
        <p role="alert" className="text-xs text-red-700">
          {state.error}
        </p>
      )}
      {dialog}
    </div>
  );
}
