import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importResultSchema, pipelineExportSchema, type ParameterValues, type PipelineFile } from "@sluice/model";
import { printProblems, type Out } from "./console-out.ts";
import { EXIT } from "./exit-codes.ts";
import { runLocal, validateLocal } from "./local-run.ts";
import { parseParamFlags } from "./param-flags.ts";
import { readPipelineFiles } from "./pipeline-files.ts";
import { ServerClient, ServerUnreachable } from "./server-client.ts";

export { EXIT };

const USAGE = `sluice <command> [options]

  validate <file...>          check pipeline files with the server's validator (every problem, with node and field)
  run <pipeline name or id>   start a run and wait for it; exits 3 if it fails
  export [--out DIR]          write every pipeline to DIR (default .) as <name>.sluice.json
  import <file...> [--dry-run]  create or update pipelines from files, matched by name

  validate --local <file...> [--input ID=PATH ...]
                              check pipeline files without a server, reading local files for file sources
  run --local <file> [--input ID=PATH ...] [--out DIR]
                              run a pipeline file here, on embedded DuckDB; file outputs go to DIR (default ./sluice-output)

  --server URL   Sluice server (default $SLUICE_SERVER or http://127.0.0.1:3000)
  --token T      API token for starting runs (default $SLUICE_TOKEN)
  --offline      validate: check the file format only, without a server
  --local        validate, run: no server; PostgreSQL sources and outputs need a server and are refused
  --input ID=PATH  with --local: the local CSV, TSV, JSON, NDJSON or Parquet file for file id ID (repeatable)
  --param NAME=VALUE  run, validate --local: a value for a pipeline parameter (repeatable; others take their defaults)

exit codes: 0 ok, 1 problems found, 2 usage error, 3 run failed, 4 server unreachable`;

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
        out: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        offline: { type: "boolean", default: false },
        local: { type: "boolean", default: false },
        input: { type: "string", multiple: true, default: [] },
        param: { type: "string", multiple: true, default: [] },
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
  const params = parseParamFlags(o.param);
  if (!params.ok) {
    out.error(params.message);
    return EXIT.usage;
  }
  const server = new ServerClient(o.server, o.token);
  try {
    if (o.local || o.input.length > 0) return await local(command, rest, { ...o, params: params.params }, out);
    switch (command) {
      case "validate":
        return await validate(rest, o.offline, server, out);
      case "run":
        return await run(rest, params.params, server, out);
      case "export":
        return await exportAll(o.out ?? ".", server, out);
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

/** validate and run without a server; see local-run.ts. */
async function local(
  command: string,
  rest: string[],
  o: { local: boolean; offline: boolean; input: string[]; out?: string | undefined; params: ParameterValues },
  out: Out,
): Promise<number> {
  const usage = (message: string) => {
    out.error(message);
    return EXIT.usage;
  };
  if (!o.local) return usage("--input only applies to local runs and validation; add --local.");
  if (o.offline) return usage("--local already works without a server; leave out --offline.");
  if (command === "validate") return validateLocal(rest, { inputs: o.input, params: o.params }, out);
  if (command !== "run") return usage(`--local applies to validate and run, not "${command}".`);
  const [file, ...extra] = rest;
  if (!file || extra.length > 0) return usage("run --local takes exactly one pipeline file.");
  return runLocal(file, { inputs: o.input, params: o.params, outDir: o.out ?? "sluice-output" }, out);
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
  return printProblems(file, (await server.validate(p.graph)).problems, out);
}

async function run(args: string[], params: ParameterValues, server: ServerClient, out: Out): Promise<number> {
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
  const started = await server.startRun(id, params);
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
