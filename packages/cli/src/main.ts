import { parseArgs } from "node:util";
import type { ParameterValues, PipelineFile } from "@sluice/model";
import { printProblems, terminalOut, type Out } from "./console-out.ts";
import { EXIT } from "./exit-codes.ts";
import { exportAll } from "./export-files.ts";
import { runLocal, validateLocal } from "./local-run.ts";
import { parseParamFlags } from "./param-flags.ts";
import { tryReadPipelineFiles } from "./pipeline-files.ts";
import { ServerClient, ServerUnreachable, serverOptionProblem } from "./server-client.ts";
import { importFiles } from "./server-import.ts";
import { resumeOnServer, runOnServer } from "./server-run.ts";
import { backfillOnServer } from "./server-backfill.ts";

export { EXIT };

const USAGE = `sluice <command> [options]

  validate <file...>          check pipeline files with the server's validator (every problem, with node and field)
  run <pipeline name or id>   start a run and wait for it, then print its quality rule results; exits 3 if it fails
  run <file.json>             import the file's one pipeline (created or updated by name), then run it
  backfill <pipeline name or id> --parameter P --from YYYY-MM-DD --to YYYY-MM-DD [--step day|week|month]
           [--concurrency N] [--param NAME=VALUE ...] [--no-wait]
                              one run per date (each with its date in parameter P), at most N at once (default 2);
                              waits for every slot and exits 3 if one failed, naming them (at most 1,000 slots)
  resume <run id> [--current] resume a failed run from what failed, reusing the nodes that succeeded, and wait for
                              it (on the run's own version; --current: the pipeline's current one); exits 3 if it fails
  export [--out DIR]          write every pipeline to DIR (default .) as <name>.sluice.json (-<id> added when names clash)
  import <file...> [--dry-run] [--strict]
                              create or update pipelines from files, matched by name; lists each one's problems

  validate --local <file...> [--input ID=PATH ...] [--credentials FILE]
                              check pipeline files without a server, reading local files for file sources
  run --local <file> [--input ID=PATH ...] [--credentials FILE] [--out DIR]
                              run a pipeline file here, on embedded DuckDB; file outputs go to DIR (default ./sluice-output)

  --server URL   Sluice server (default $SLUICE_SERVER or http://127.0.0.1:3000)
  --token T      API token (default $SLUICE_TOKEN), needed for every command that talks to a server. It acts in its
                 workspace with its role: runner to run, editor to import; an owner makes one under API tokens.
                 The server must also answer to the --server host (its PUBLIC_URL or ALLOWED_HOSTS)
  --offline      validate: check the file format only, without a server
  --strict       import: any problem exits 1 and nothing is saved (without it, pipelines are saved with their problems)
  --local        validate, run: no server; PostgreSQL sources and outputs need a server and are refused
  --input ID=PATH  with --local: the local CSV, TSV, JSON, NDJSON or Parquet file for file id ID (repeatable)
  --credentials FILE  with --local: the secret headers of the HTTP credentials pipelines name, as
                 {"<credential id>": {"hosts": [...], "headers": [{"name": "Authorization", "value": "..."}]}}
  --param NAME=VALUE  run, backfill, validate --local: a value for a pipeline parameter (repeatable; others take their defaults)

Ctrl+C while a run is waiting asks the server to cancel it.

exit codes: 0 ok, 1 problems found (or refused: invalid, unknown, no token, or a role that may not), 2 usage error,
            3 the run failed or was cancelled, 4 server unreachable or unavailable (502, 503, 504)`;

export async function main(argv: string[], out: Out = terminalOut): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: "string", default: process.env.SLUICE_SERVER ?? "http://127.0.0.1:3000" },
        token: { type: "string", default: process.env.SLUICE_TOKEN },
        out: { type: "string" },
        current: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        offline: { type: "boolean", default: false },
        local: { type: "boolean", default: false },
        input: { type: "string", multiple: true, default: [] },
        credentials: { type: "string" },
        param: { type: "string", multiple: true, default: [] },
        parameter: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        step: { type: "string", default: "day" },
        concurrency: { type: "string", default: "2" },
        "no-wait": { type: "boolean", default: false },
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
  // Only run and validate --local read parameter values; anywhere else a --param would be silently dropped.
  if (o.param.length > 0 && ["validate", "import", "export"].includes(command) && !(command === "validate" && o.local)) {
    const what = command === "validate" ? (o.offline ? "validate --offline" : "validate against a server") : command;
    out.error(`--param applies to run and validate --local only; ${what} does not use parameter values, so leave it out.`);
    return EXIT.usage;
  }
  const server = new ServerClient(o.server, o.token);
  try {
    if (o.local || o.input.length > 0 || o.credentials !== undefined) return await local(command, rest, { ...o, params: params.params }, out);
    // A --server or --token no request can carry is a usage error, said before anything is read or sent.
    const unusable = command === "validate" && o.offline ? undefined : serverOptionProblem(o.server, o.token);
    if (unusable) {
      out.error(unusable);
      return EXIT.usage;
    }
    switch (command) {
      case "validate":
        return await validate(rest, o.offline, server, out);
      case "run": {
        const [which, ...extra] = rest;
        if (!which || extra.length > 0) {
          out.error("run takes one pipeline name, id or .json file.");
          return EXIT.usage;
        }
        return await runOnServer(which, params.params, server, out);
      }
      case "backfill": {
        const [which, ...extra] = rest;
        if (!which || extra.length > 0) {
          out.error("backfill takes one pipeline name or id.");
          return EXIT.usage;
        }
        const { parameter, from, to, step, concurrency } = o;
        return await backfillOnServer(which, { parameter, from, to, step, concurrency, params: params.params, wait: !o["no-wait"] }, server, out);
      }
      case "resume": {
        const [runId, ...extra] = rest;
        if (!runId || extra.length > 0) {
          out.error("resume takes one run id.");
          return EXIT.usage;
        }
        return await resumeOnServer(runId, o.current ? "current" : "same", server, out);
      }
      case "export":
        return await exportAll(o.out ?? ".", server, out);
      case "import":
        return await importFiles(rest, { dryRun: o["dry-run"], strict: o.strict }, server, out);
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
  o: { local: boolean; offline: boolean; input: string[]; credentials?: string | undefined; out?: string | undefined; params: ParameterValues },
  out: Out,
): Promise<number> {
  const usage = (message: string) => {
    out.error(message);
    return EXIT.usage;
  };
  if (!o.local) return usage(`${o.input.length > 0 ? "--input" : "--credentials"} only applies to local runs and validation; add --local.`);
  if (o.offline) return usage("--local already works without a server; leave out --offline.");
  if (command === "validate") return validateLocal(rest, { inputs: o.input, credentials: o.credentials, params: o.params }, out);
  if (command !== "run") return usage(`--local applies to validate and run, not "${command}".`);
  const [file, ...extra] = rest;
  if (!file || extra.length > 0) return usage("run --local takes exactly one pipeline file.");
  return runLocal(file, { inputs: o.input, credentials: o.credentials, params: o.params, outDir: o.out ?? "sluice-output" }, out);
}

async function validate(files: string[], offline: boolean, server: ServerClient, out: Out): Promise<number> {
  if (files.length === 0) {
    out.error("validate needs at least one file.");
    return EXIT.usage;
  }
  let problems = 0;
  for (const file of files) {
    const read = tryReadPipelineFiles(file);
    if (!read.ok) {
      out.error(read.message);
      problems++;
      continue;
    }
    for (const p of read.pipelines) problems += await validateOne(read.pipelines.length > 1 ? `${file} (${p.name})` : file, p, offline, server, out);
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
