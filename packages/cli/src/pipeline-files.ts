import { readFileSync } from "node:fs";
import path from "node:path";
import type { PipelineFile } from "@sluice/model";
import { loadPipelineFile, pipelineFileText } from "@sluice/pipeline";

/**
 * A file holds an export of several pipelines, one pipeline file ({name, graph}), or a bare graph (named after the
 * file), as UTF-8 text (a byte order mark is fine; other encodings are refused, see pipelineFileText). Read as the server and the web read one (loadPipelineFile): an older file comes back migrated to the
 * current node versions, one from a newer Sluice is refused with a message that says to upgrade.
 */
export function readPipelineFiles(file: string): PipelineFile[] {
  const text = pipelineFileText(readFileSync(file));
  if (!text.ok) throw new Error(`${file} ${text.message}`);
  const json: unknown = JSON.parse(text.text);
  const read = loadPipelineFile(json, path.basename(file).replace(/(\.sluice)?\.json$/, ""));
  if (read.ok) return read.pipelines.map(({ name, description, graph }) => ({ name, description, graph }));
  const first = read.issues[0];
  const shape = first === undefined || first.code === "INVALID_GRAPH" || first.code === "NOT_A_PIPELINE_FILE";
  if (shape) throw new Error(`${file}: not a Sluice pipeline file (${first ? first.message : "unknown shape"})`);
  throw new Error(`${file}: ${first.message}`);
}

/** Like readPipelineFiles, but a file that cannot be read or parsed is a message rather than a throw. */
export function tryReadPipelineFiles(file: string): { ok: true; pipelines: PipelineFile[] } | { ok: false; message: string } {
  try {
    return { ok: true, pipelines: readPipelineFiles(file) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { ok: false, message: `${file}: no such file.` };
    if (err.code === "EISDIR") return { ok: false, message: `${file} is a folder; name the pipeline files in it, e.g. ${path.join(file, "*.json")}.` };
    if (e instanceof SyntaxError) return { ok: false, message: `${file}: not valid JSON (${e.message}).` };
    // Any other error of the file system (permission denied, an I/O error) says which file, as the cases above do.
    if (typeof err.code === "string" && err.syscall !== undefined) return { ok: false, message: `${file}: cannot be read (${err.message}).` };
    return { ok: false, message: err.message };
  }
}
