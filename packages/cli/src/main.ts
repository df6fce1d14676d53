import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importResultSchema, pipelineExportSchema, pipelineFileSchema, pipelineGraphSchema, type PipelineFile } from "@sluice/model";
import { ServerClient, ServerUnreachable } from "./server-client.ts";

/** Exit codes scripts and CI can rely on. */
export const EXIT = { ok: 0, problems: 1, usage: 2, runFailed: 3, unreachable: 4 } as const;

const USAGE = `sluice <command> [options]

  validate <file...>          check pipeline files with the server's validator (every problem, with node and field)
  run <pipeline name or id>   start a run and wait for it; exits 3 if it fails
  export [--out DIR]          write every pipeline to DIR (default .) as <name>.sluice.json
  import <file...> [--dry-run]  create or update pipelines from files, matched by name

  --server URL   Sluice server (default $SLUICE_SERVER or http://127.0.0.1:3000)
  --token T      API token for starting runs (default $SLUICE_TOKEN)
  --offline      validate: check the file format only, without a server

exit codes: 0 ok, 1 problems found, 2 usage error, 3 run failed, 4 server unreachable`;

type Out = { log(line: string): void; error(line: string): void };

/** A file holds an export of several pipelines, one pipeline file ({name, graph}), or a bare graph (named after the file). */
function readPipelineFiles(file: string): PipelineFile[] {
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

const slug = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "pipeline";

export async function main(argv: string[], out: Out = { log: (l) => console.log(l), error: (l) => console.error(l) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: "string", default: process.env.SLUICE_SERVER ?? "http://127.0.0.1:3000" },
        token: { type: "string", default: process.env.SLUICE_TOKEN },
        out: { type: "string", default: "." },
        "dry-run": { type: "boolean", default: false },
        offline: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    out.error((e as Error).message);
    out.error(USAGE);
    return EXIT.usage;
  }
  const { values: o, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (o.help || !command) {
    (o.help ? out.log : out.error)(USAGE);
    return o.help ? EXIT.ok : EXIT.usage;
  }
  const server = new ServerClient(o.server, o.token);
  try {
    switch (command) {
      case "validate":
        return await validate(rest, o.offline, server, out);
      case "run":
        return await run(rest, server, out);
      case "export":
        return await exportAll(o.out, server, out);
      case "import":
        return await importFiles(rest, o["dry-run"], server, out);
      default:
        out.error(`Unknown command "${command}".`);
        out.error(USAGE);
        return EXIT.usage;
    }
  } catch (e) {
    if (e instanceof ServerUnreachable) {
      out.error(e.message);
      return EXIT.unreachable;
    }
    out.error(e instanceof Error ? e.message : String(e));
    return EXIT.problems;
  }
}

async function validate(files: string[], offline: boolean, server: ServerClient, out: Out): Promise<number> {
  if (files.length === 0) {
    out.error("validate needs at least one file.");
    return EXIT.usage;
  }
  let problems = 0;
  for (const file of files) {
    let read: PipelineFile[];
    try {
      read = readPipelineFiles(file);
    } catch (e) {
      out.error((e as Error).message);
      problems++;
      continue;
    }
    for (const p of read) problems += await validateOne(read.length > 1 ? `${file} (${p.name})` : file, p, offline, server, out);
  }
  return problems > 0 ? EXIT.problems : EXIT.ok;
}

/** Prints a pipeline's problems; returns how many errors it has. */
async function validateOne(file: string, p: PipelineFile, offline: boolean, server: ServerClient, out: Out): Promise<number> {
  if (offline) {
    out.log(`${file}: format ok (${p.graph.nodes.length} nodes; settings and columns are checked with a server)`);
    return 0;
  }
  const r = await server.validate(p.graph);
  const errors = r.problems.filter((x) => x.severity === "error");
  for (const x of r.problems) out[x.severity === "error" ? "error" : "log"](`${file}: ${x.severity} ${x.code}${x.nodeId ? ` [${x.nodeId}${x.field ? `.${x.field}` : ""}]` : ""}: ${x.message}`);
  if (errors.length === 0) out.log(`${file}: valid`);
  return errors.length;
}

async function run(args: string[], server: ServerClient, out: Out): Promise<number> {
  const [which] = args;
  if (!which) {
    out.error("run needs a pipeline name or id.");
    return EXIT.usage;
  }
  const id = await server.findPipeline(which);
  if (!id) {
    out.error(`No pipeline is named or identified "${which}".`);
    return EXIT.problems;
  }
  const started = await server.startRun(id);
  if (!started.ok) {
    out.error(started.message);
    for (const p of started.problems) out.error(`  ${p.code}${p.nodeId ? ` [${p.nodeId}]` : ""}: ${p.message}`);
    return started.status === 422 ? EXIT.problems : EXIT.runFailed;
  }
  out.log(`run ${started.runId} queued`);
  const run = await server.waitForRun(started.runId);
  out.log(`run ${run.id} ${run.status}: ${run.rowsRead ?? 0} rows read, ${run.rowsWritten ?? 0} rows written${run.error ? ` — ${run.error}` : ""}`);
  return run.status === "succeeded" ? EXIT.ok : EXIT.runFailed;
}

async function exportAll(dir: string, server: ServerClient, out: Out): Promise<number> {
  const { pipelines } = pipelineExportSchema.parse(await server.get("/export/pipelines"));
  mkdirSync(dir, { recursive: true });
  for (const p of pipelines) {
    const file = path.join(dir, `${slug(p.name)}.sluice.json`);
    writeFileSync(file, `${JSON.stringify(p, null, 2)}\n`);
    out.log(`wrote ${file}`);
  }
  return EXIT.ok;
}

async function importFiles(files: string[], dryRun: boolean, server: ServerClient, out: Out): Promise<number> {
  if (files.length === 0) {
    out.error("import needs at least one file.");
    return EXIT.usage;
  }
  const result = importResultSchema.parse(await server.post("/import/pipelines", { pipelines: files.flatMap(readPipelineFiles), dryRun }));
  for (const r of result.results) {
    out.log(`${r.name}: ${dryRun && r.action !== "unchanged" ? `would be ${r.action}` : r.action}${r.version ? ` (version ${r.version})` : ""}`);
    for (const c of r.changes) out.log(`  ${c}`);
  }
  return EXIT.ok;
}
