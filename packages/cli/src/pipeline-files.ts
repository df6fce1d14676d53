import { readFileSync } from "node:fs";
import path from "node:path";
import { pipelineExportSchema, pipelineFileSchema, pipelineGraphSchema, type PipelineFile } from "@sluice/model";

/** A file holds an export of several pipelines, one pipeline file ({name, graph}), or a bare graph (named after the file). */
export function readPipelineFiles(file: string): PipelineFile[] {
  const json: unknown = JSON.parse(readFileSync(file, "utf8"));
  const all = pipelineExportSchema.safeParse(json);
  if (all.success) return all.data.pipelines;
  const asFile = pipelineFileSchema.safeParse(json);
  if (asFile.success) return [asFile.data];
  const asGraph = pipelineGraphSchema.safeParse(json);
  if (asGraph.success) return [{ name: path.basename(file).replace(/(\.sluice)?\.json$/, ""), description: "", graph: asGraph.data }];
  const first = asFile.error.issues[0];
  throw new Error(`${file}: not a Sluice pipeline file (${first ? `${first.path.join(".")}: ${first.message}` : "unknown shape"})`);
}

/** Like readPipelineFiles, but a file that cannot be read or parsed is a message rather than a throw. */
export function tryReadPipelineFiles(file: string): { ok: true; pipelines: PipelineFile[] } | { ok: false; message: string } {
  try {
    return { ok: true, pipelines: readPipelineFiles(file) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { ok: false, message: `${file}: no such file.` };
    if (e instanceof SyntaxError) return { ok: false, message: `${file}: not valid JSON (${e.message}).` };
    return { ok: false, message: err.message };
  }
}
