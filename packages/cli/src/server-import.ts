import { MAX_IMPORT_PIPELINES, type ImportResult, type Issue, type PipelineFile } from "@sluice/model";
import { plural, problemText, type Out } from "./console-out.ts";
import { EXIT } from "./exit-codes.ts";
import { tryReadPipelineFiles } from "./pipeline-files.ts";
import type { ServerClient } from "./server-client.ts";

export interface ImportOptions {
  dryRun: boolean;
  /** Any validation problem exits 1, and nothing is saved. */
  strict: boolean;
}

/** `Name: created (version 1)`, or `Name: would be created` in a dry run. */
export function importLine(r: ImportResult["results"][number], dryRun: boolean): string {
  return `${r.name}: ${dryRun && r.action !== "unchanged" ? `would be ${r.action}` : r.action}${r.version ? ` (version ${r.version})` : ""}`;
}

/**
 * `import`: creates or updates pipelines from files, matched by name, and says which of them have problems
 * (the server saves an invalid pipeline as it is, as the editor does). Every graph is validated before
 * importing, so that --strict can refuse the whole import instead of failing after half of it is saved.
 */
export async function importFiles(files: readonly string[], o: ImportOptions, server: ServerClient, out: Out): Promise<number> {
  if (files.length === 0) {
    out.error("import needs at least one file.");
    return EXIT.usage;
  }
  const pipelines: PipelineFile[] = [];
  let unreadable = 0;
  for (const file of files) {
    const read = tryReadPipelineFiles(file);
    if (read.ok) pipelines.push(...read.pipelines);
    else {
      out.error(read.message);
      unreadable++;
    }
  }
  if (unreadable > 0) {
    out.error(`Nothing imported: fix the ${unreadable === 1 ? "file" : `${unreadable} files`} above first.`);
    return EXIT.problems;
  }
  // The server takes at most this many in one import, and would say so only as "body.pipelines: Too big".
  if (pipelines.length > MAX_IMPORT_PIPELINES) {
    out.error(`Nothing imported: the ${files.length === 1 ? "file holds" : "files hold"} ${pipelines.length} pipelines, and one import takes at most ${MAX_IMPORT_PIPELINES}; import them in parts of at most ${MAX_IMPORT_PIPELINES}.`);
    return EXIT.problems;
  }
  if (pipelines.length === 0) {
    out.error(`Nothing imported: the ${files.length === 1 ? "file holds" : "files hold"} no pipelines.`);
    return EXIT.problems;
  }

  const errors = new Map<string, Issue[]>();
  for (const p of pipelines) errors.set(p.name, (await server.validate(p.graph)).problems.filter((x) => x.severity === "error"));
  const total = [...errors.values()].reduce((n, e) => n + e.length, 0);
  const refused = o.strict && total > 0;

  const result = await server.importPipelines(pipelines, o.dryRun || refused);
  for (const r of result.results) {
    const mine = errors.get(r.name) ?? [];
    const saved = r.action === "unchanged" ? "has" : result.dryRun ? "would be saved with" : "saved with";
    out.log(`${importLine(r, result.dryRun)}${mine.length > 0 ? `; ${saved} ${plural(mine.length, "problem")}` : ""}`);
    for (const c of r.changes) out.log(`  ${c}`);
    for (const x of mine) out.log(`  problem ${problemText(x)}`);
  }
  if (refused) {
    out.error(`${o.dryRun ? "" : "Nothing imported: "}${plural(total, "problem")} to fix first (--strict).`);
    return EXIT.problems;
  }
  return EXIT.ok;
}
