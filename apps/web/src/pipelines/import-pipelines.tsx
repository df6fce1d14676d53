import { useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { importResultSchema, type ImportResult, type PipelineFile } from "@sluice/model";
import { loadPipelineFile, pipelineFileText } from "@sluice/pipeline";
import { api } from "../api/client.ts";
import { pipelineKeys } from "../api/pipelines.queries.ts";
import { Button } from "../components/button.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { ApiDownloadLink } from "../components/api-download-link.tsx";

/**
 * A picked file's pipelines: an "Export all" file, one pipeline file, or a bare graph (named after the file), read as
 * the server and the CLI read them (loadPipelineFile): an older file is migrated, one from a newer Sluice refused.
 */
async function readFile(f: File): Promise<PipelineFile[]> {
  // Not f.text(): that reads any bytes, replacing what is not UTF-8, so a Latin-1 file's "Café" would import as "Caf\uFFFD".
  const text = pipelineFileText(new Uint8Array(await f.arrayBuffer()));
  if (!text.ok) throw new Error(`${f.name} ${text.message}`);
  let json: unknown;
  try {
    json = JSON.parse(text.text);
  } catch {
    throw new Error(`${f.name} is not JSON.`);
  }
  const read = loadPipelineFile(json, f.name.replace(/(\.sluice)?\.json$/, ""));
  if (read.ok) return read.pipelines.map(({ name, description, graph }) => ({ name, description, graph }));
  const first = read.issues[0];
  if (first && first.code !== "INVALID_GRAPH" && first.code !== "NOT_A_PIPELINE_FILE") throw new Error(`${f.name}: ${first.message}`);
  throw new Error(`${f.name} is not a Sluice pipeline file${first ? ` (${first.message})` : ""}.`);
}

const importCall = (pipelines: PipelineFile[], dryRun: boolean) => api("POST", "/import/pipelines", importResultSchema, { body: { pipelines, dryRun } });

/** Export every pipeline as one JSON file, or import files: what would change is shown before anything is saved. */
export function ImportExport({ onDone }: { onDone: (message: string) => void }) {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<PipelineFile[] | null>(null);
  const [plan, setPlan] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = () => (setFiles(null), setPlan(null), setError(null));

  const pick = async (list: FileList) => {
    setError(null);
    try {
      const read = (await Promise.all(Array.from(list).map(readFile))).flat();
      setFiles(read);
      setPlan(await importCall(read, true));
    } catch (e) {
      setFiles([]);
      setError(e);
    }
  };
  const confirm = async () => {
    if (!files) return;
    setBusy(true);
    try {
      const done = await importCall(files, false);
      await qc.invalidateQueries({ queryKey: pipelineKeys.all });
      const count = (a: string) => done.results.filter((r) => r.action === a).length;
      onDone(`Imported: ${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged.`);
      close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ApiDownloadLink path="/export/pipelines" filename="sluice-pipelines.json" className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-200/70">
        Export all
      </ApiDownloadLink>
      <PermittedButton action="pipeline.edit" what="import pipelines" variant="ghost" onClick={() => input.current?.click()}>
        Import…
      </PermittedButton>
      <input ref={input} type="file" accept=".json,application/json" multiple className="sr-only" aria-label="Pipeline files to import" onChange={(e) => (e.target.files && void pick(e.target.files), (e.target.value = ""))} />
      <Dialog title="Import pipelines" open={files !== null} onClose={close}>
        {error !== null && <ErrorBanner error={error} />}
        {plan && (
          <ul className="mb-4 max-h-72 space-y-2 overflow-y-auto text-sm" aria-label="What the import changes">
            {plan.results.map((r) => (
              <li key={r.name}>
                <span className="font-medium">{r.name}</span>: {r.action === "created" ? "will be created" : r.action === "updated" ? "will get a new version" : "unchanged"}
                {r.changes.length > 0 && (
                  <ul className="ml-4 list-disc text-xs text-slate-600">
                    {r.changes.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" disabled={!plan || busy || plan.results.every((r) => r.action === "unchanged")} onClick={() => void confirm()}>
            Import
          </Button>
        </div>
      </Dialog>
    </>
  );
}
