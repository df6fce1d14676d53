import { useState } from "react";
import type { DataFileInfoDto } from "@sluice/model";
import { useDeleteFile, useFilePreview, useFiles } from "../api/files.queries.ts";
import { Button } from "../components/button.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { useCan } from "../auth/use-can.ts";
import { DataGrid } from "../components/data-grid.tsx";
import { DataTable } from "../components/data-table.tsx";
import { Dialog } from "../components/dialog.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { RenamedColumnsNote } from "../files/renamed-columns-note.tsx";
import { UploadZone } from "../files/upload-zone.tsx";
import { formatBytes } from "../lib/format-bytes.ts";
import { formatDateTime } from "../lib/format-time.ts";
import { useWorkspaceLineage } from "../api/lineage.queries.ts";
import { UsedBy } from "../lineage/used-by.tsx";
import { fileUsers } from "../lineage/workspace-graph.ts";
import { formatCount } from "../lib/format-duration.ts";

export function FilesPage() {
  const files = useFiles();
  const lineage = useWorkspaceLineage();
  const [shown, setShown] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<DataFileInfoDto | null>(null);
  const upload = useCan("file.edit", "upload files");
  return (
    <div className="max-w-6xl">
      <h1 className="mb-1 text-2xl font-semibold">Files</h1>
      <p className="mb-4 text-sm text-slate-600">Uploaded files are read by File source nodes. Their format, delimiter, encoding and columns are detected on upload.</p>
      {/* Hidden rather than disabled: a drop zone that refuses drops reads as broken. */}
      {upload.allowed ? <UploadZone /> : <p className="mb-6 text-sm text-slate-500">{upload.reason}</p>}
      {files.isPending ? (
        <Spinner label="Loading files" />
      ) : files.error ? (
        <ErrorBanner error={files.error} action={<Button onClick={() => void files.refetch()}>Try again</Button>} />
      ) : files.data.files.length === 0 ? (
        <EmptyState title="No files yet">Drop a CSV above to start.</EmptyState>
      ) : (
        <DataTable
          columns={[
            { label: "Name" },
            { label: "Format" },
            { label: "Size", numeric: true },
            { label: "Rows", numeric: true },
            { label: "Columns" },
            { label: "Uploaded" },
            { label: "Used by" },
            { label: "Actions", hidden: true },
          ]}
        >
            {files.data.files.map((f) => (
              <tr key={f.id} data-testid="file-row">
                <td className="px-3 py-2 font-medium">{f.name}</td>
                <td className="px-3 py-2">{f.format}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                  <span data-testid="file-size">{formatBytes(f.size)}</span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(f.rowCount)}</td>
                <td className="max-w-80 px-3 py-2 text-slate-600">
                  <div className="truncate" title={f.columns.map((c) => `${c.name} (${c.type})`).join(", ")}>
                    {f.columns.map((c) => c.name).join(", ")}
                  </div>
                  <RenamedColumnsNote renamed={f.renamedColumns} className="mt-0.5" />
                </td>
                <td className="px-3 py-2 text-slate-600">{formatDateTime(f.createdAt)}</td>
                <td className="px-3 py-2 text-xs" data-testid="file-used-by">
                  {lineage.data ? <UsedBy users={fileUsers(lineage.data, f.id)} label={`Pipelines that use ${f.name}`} /> : "…"}
                </td>
                <td className="px-3 py-2 text-right whitespace-nowrap">
                  <Button variant="ghost" aria-pressed={shown === f.id} aria-label={`First rows of ${f.name}`} onClick={() => setShown(shown === f.id ? null : f.id)}>
                    {shown === f.id ? "Hide rows" : "First rows"}
                  </Button>
                  <PermittedButton action="file.edit" what="delete files" variant="ghost" aria-label={`Delete ${f.name}`} onClick={() => setDeleting(f)}>
                    Delete
                  </PermittedButton>
                </td>
              </tr>
            ))}
        </DataTable>
      )}
      {shown && <FileRows id={shown} name={files.data?.files.find((f) => f.id === shown)?.name ?? ""} />}
      <DeleteFileDialog file={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}

function FileRows({ id, name }: { id: string; name: string }) {
  const preview = useFilePreview(id);
  return (
    <section aria-label={`First rows of ${name}`} className="mt-4 h-72 rounded-lg border border-slate-200 bg-white">
      {preview.isPending ? (
        <Spinner label="Reading the file" />
      ) : preview.error ? (
        <div className="p-3">
          <ErrorBanner error={preview.error} />
        </div>
      ) : (
        <DataGrid columns={preview.data.columns} rows={preview.data.rows} label={`Rows of ${name}`} />
      )}
    </section>
  );
}

function DeleteFileDialog({ file, onClose }: { file: DataFileInfoDto | null; onClose: () => void }) {
  const del = useDeleteFile();
  return (
    <Dialog title="Delete file?" open={file !== null} onClose={() => (del.reset(), onClose())}>
      {file && (
        <>
          <p className="mb-3 text-sm text-slate-700">“{file.name}” will be removed from the server. Pipelines that read it must use another file.</p>
          {del.error && <ErrorBanner error={del.error} />}
          <div className="flex justify-end gap-2">
            <Button onClick={() => (del.reset(), onClose())}>Cancel</Button>
            <Button variant="danger" disabled={del.isPending} onClick={() => del.mutate(file.id, { onSuccess: () => (del.reset(), onClose()) })}>
              Delete
            </Button>
          </div>
        </>
      )}
    </Dialog>
  );
}
