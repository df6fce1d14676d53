import type { ParameterValues } from "@sluice/model";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileGraph, fileSinkConfigSchema, outputFileName, type CompiledPipeline } from "@sluice/pipeline";
import { createConnectors, executePipeline, type HttpGuardOptions } from "@sluice/engine";
import { EXIT } from "./exit-codes.ts";
import { printProblems, problemLine, type Out } from "./console-out.ts";
import { checkLocally } from "./local-environment.ts";
import { interruptSignal } from "./interrupt-signal.ts";
import { LocalInputs, parseInputFlags } from "./local-inputs.ts";
import { localCredentials } from "./local-credentials.ts";
import { tryReadPipelineFiles } from "./pipeline-files.ts";
import { progressLine, rows, seconds } from "./run-progress.ts";

export interface LocalOptions {
  /** The raw `--input ID=PATH` flags. */
  inputs: readonly string[];
  /** Parameter values from `--param NAME=VALUE`; the rest take their defaults. */
  params?: ParameterValues;
  /** Like the server's HTTP_SOURCE_ALLOWLIST; by default an HTTP source may reach public addresses only. */
  http?: HttpGuardOptions;
  /** `--credentials FILE`: the secret headers of the HTTP credentials the pipelines name. */
  credentials?: string | undefined;
  cwd?: string;
}

export interface LocalRunOptions extends LocalOptions {
  /** Where file sinks write; created if missing. */
  outDir: string;
  /** Cancels the run; by default Ctrl+C does. */
  signal?: AbortSignal;
}

/** The HTTP guard a server with default settings uses, widened by $HTTP_SOURCE_ALLOWLIST as the server's is. */
export function defaultHttpGuard(env: NodeJS.ProcessEnv = process.env): HttpGuardOptions {
  return { allowlist: (env.HTTP_SOURCE_ALLOWLIST ?? "").split(",").map((x) => x.trim()).filter(Boolean) };
}

function localInputs(o: LocalOptions, out: Out) {
  const parsed = parseInputFlags(o.inputs);
  if (!parsed.ok) {
    out.error(parsed.message);
    return undefined;
  }
  const credentials = localCredentials(o.credentials, o.cwd);
  if (!credentials.ok) {
    out.error(credentials.message);
    return undefined;
  }
  return { inputs: new LocalInputs(parsed.value, o.cwd), credentials: credentials.value };
}

/** `validate --local`: every problem of every pipeline in the files, with --input files standing in for uploads. */
export async function validateLocal(files: readonly string[], o: LocalOptions, out: Out): Promise<number> {
  if (files.length === 0) {
    out.error("validate needs at least one file.");
    return EXIT.usage;
  }
  const local = localInputs(o, out);
  if (!local) return EXIT.usage;
  let errors = 0;
  for (const file of files) {
    const read = tryReadPipelineFiles(path.resolve(o.cwd ?? ".", file));
    if (!read.ok) {
      out.error(read.message);
      errors++;
      continue;
    }
    for (const p of read.pipelines) {
      const check = await checkLocally(p.graph, local.inputs, o.http ?? defaultHttpGuard(), o.params, local.credentials);
      errors += printProblems(read.pipelines.length > 1 ? `${file} (${p.name})` : file, check.problems, out);
    }
  }
  return errors > 0 ? EXIT.problems : EXIT.ok;
}

/** The files a successful run leaves in the output folder, one per file sink, under the folder as the user named it. */
function outputFiles(compiled: CompiledPipeline, outDir: string): string[] {
  return compiled.steps.flatMap((s) => {
    if (s.step.kind !== "sink" || s.step.target !== "file") return [];
    const spec = fileSinkConfigSchema.safeParse(s.step.spec);
    return spec.success ? [path.join(outDir, outputFileName(spec.data))] : [];
  });
}

/**
 * `run --local`: validates and compiles a pipeline file as the server would, then executes it on an embedded,
 * locked-down DuckDB allowed into the input files' folders, a temporary work folder and the output folder only.
 */
export async function runLocal(file: string, o: LocalRunOptions, out: Out): Promise<number> {
  const local = localInputs(o, out);
  if (!local) return EXIT.usage;
  const read = tryReadPipelineFiles(path.resolve(o.cwd ?? ".", file));
  if (!read.ok) {
    out.error(read.message);
    return EXIT.problems;
  }
  const [pipeline, ...more] = read.pipelines;
  if (!pipeline || more.length > 0) {
    out.error(`${file} holds ${read.pipelines.length} pipelines; run --local takes a file with exactly one.`);
    return EXIT.usage;
  }
  const http = o.http ?? defaultHttpGuard();
  const check = await checkLocally(pipeline.graph, local.inputs, http, o.params, local.credentials);
  const errors = check.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    for (const p of check.problems) out[p.severity === "error" ? "error" : "log"](problemLine(file, p));
    out.error(`${file}: not run, ${errors.length} problem${errors.length === 1 ? "" : "s"} to fix first.`);
    return EXIT.problems;
  }
  for (const p of check.problems) out.log(problemLine(file, p));
  const compiled = compileGraph(pipeline.graph, check.env, { params: o.params });
  if (!compiled.ok) {
    for (const p of compiled.issues) out.error(problemLine(file, p));
    return EXIT.problems;
  }

  let outDir: string;
  try {
    mkdirSync(path.resolve(o.cwd ?? ".", o.outDir), { recursive: true });
    outDir = realpathSync(path.resolve(o.cwd ?? ".", o.outDir));
  } catch (e) {
    out.error(`The output folder ${o.outDir} cannot be created: ${(e as Error).message}`);
    return EXIT.problems;
  }
  const temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), "sluice-local-")));
  const interrupt = o.signal ? undefined : interruptSignal(out);
  const nodes = new Map(compiled.value.steps.map((s) => [s.nodeId, { label: s.label, sink: s.step.kind === "sink" }]));
  out.log(`running ${pipeline.name} locally (${compiled.value.steps.length} steps)`);
  try {
    const work = path.join(temp, "work");
    const result = await executePipeline(compiled.value, {
      engine: { allowedDirectories: [...check.inputFolders, work, outDir], spillDirectory: path.join(temp, "spill") },
      workDir: work,
      connectors: createConnectors({ http, httpCredential: local.credentials, outputDir: outDir }),
      connection: async (id) => {
        // Validation refuses database nodes locally, so this is only reached by a node type added since.
        throw new Error(`connection ${id} lives on a Sluice server; run this pipeline against a server (without --local).`);
      },
      runId: randomUUID(),
      signal: o.signal ?? interrupt?.signal,
      onEvent: (e) => {
        const p = progressLine(e, nodes);
        if (p) out[p.isError ? "error" : "log"](p.line);
      },
    });
    if (!result.ok) {
      out.error(`run ${result.cancelled ? "cancelled" : "failed"} after ${seconds(result.elapsedMs)}: ${result.code}: ${result.error}`);
      return EXIT.runFailed;
    }
    out.log(`run succeeded in ${seconds(result.elapsedMs)}: ${rows(result.rowsRead)} read, ${rows(result.rowsWritten)} written`);
    for (const f of outputFiles(compiled.value, o.outDir)) out.log(`wrote ${f}`);
    return EXIT.ok;
  } finally {
    interrupt?.dispose();
    rmSync(temp, { recursive: true, force: true });
  }
}
