import { mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pipelineFileSchema, type PipelineFile, type PipelineSummary } from "@sluice/model";
import { canonicalizeGraph } from "@sluice/pipeline";
import type { Out } from "./console-out.ts";
import { EXIT } from "./exit-codes.ts";
import type { ServerClient } from "./server-client.ts";

/**
 * The server keeps names to 200 characters and ids are UUIDs, but the list comes from whatever server was named:
 * both are cut so that `<name>-<id>-<n>.sluice.json` stays within the 255 bytes file systems allow.
 */
const slug = (name: string, max: number) => {
  const s = name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
  return (s.length > max ? s.slice(0, max).replace(/-+$/, "") : s) || "pipeline";
};
const nameSlug = (name: string) => slug(name, 200);
const idSlug = (id: string) => slug(id, 36);

/**
 * A file name per pipeline, never the same twice. Names that slug alike ("Orders QA", "orders  qa!", or any two
 * without ASCII letters) would overwrite each other: the oldest pipeline keeps `<slug>.sluice.json`, later ones
 * get `<slug>-<first 8 characters of their id>.sluice.json`. Ordering by creation keeps each file name stable
 * from one export to the next, so exports diff well in git.
 */
export function exportFileNames(pipelines: readonly Pick<PipelineSummary, "id" | "name" | "createdAt">[]): Map<string, string> {
  // Code-point order, not localeCompare: the collation of the machine's locale (which may ignore "-" or "_") must not pick names.
  const byCode = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const oldestFirst = [...pipelines].sort((a, b) => byCode(a.createdAt, b.createdAt) || byCode(a.id, b.id));
  const used = new Set<string>();
  const names = new Map<string, string>();
  // Plain names first, so a suffixed name never takes the plain name of a pipeline that comes later.
  const plain = new Map<string, string>();
  for (const p of oldestFirst) {
    const s = nameSlug(p.name);
    if (!used.has(s)) {
      used.add(s);
      plain.set(p.id, s);
    }
  }
  for (const p of oldestFirst) {
    const s = nameSlug(p.name);
    let name = plain.get(p.id) ?? `${s}-${idSlug(p.id).slice(0, 8)}`;
    // A pipeline named like another's suffixed file ("orders-qa-3f1c0b7e") is rare; the whole id is unique,
    // and a counter settles even a name made to collide with that.
    if (!plain.has(p.id) && used.has(name)) name = `${s}-${idSlug(p.id)}`;
    for (let n = 2; !plain.has(p.id) && used.has(name); n++) name = `${s}-${idSlug(p.id)}-${n}`;
    used.add(name);
    names.set(p.id, `${name}.sluice.json`);
  }
  return names;
}

/** `export`: every pipeline's current version into `dir`, one file each, printing each file written. */
export async function exportAll(dir: string, server: ServerClient, out: Out): Promise<number> {
  // Said before anything is asked of the server; mkdir would only say "EEXIST: file already exists".
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    out.error(`--out ${dir} is a file, not a folder; name a folder to write the pipeline files into.`);
    return EXIT.usage;
  }
  const pipelines = await server.listPipelines();
  const names = exportFileNames(pipelines);
  // One pipeline at a time through its own export, so each file is certainly the pipeline its name was made from;
  // all of them before writing any, so a refused export (a secret in a pipeline's headers) leaves no half-written folder.
  const files: [string, PipelineFile][] = [];
  for (const p of pipelines) {
    const file = await server.get(`/pipelines/${encodeURIComponent(p.id)}/export`, pipelineFileSchema);
    // Checking the answer's shape puts its keys in the schema's order (parameters and engine after edges): the file is
    // written in the canonical order again, the one the API's export and docs/pipeline-format.md give.
    files.push([path.join(dir, names.get(p.id)!), { name: file.name, description: file.description, graph: canonicalizeGraph(file.graph) }]);
  }
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of files) {
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
    out.log(`wrote ${file}`);
  }
  return EXIT.ok;
}
