import { displayNameSchema, error, pipelineFileSchema, type Issue, type MigrationNote, type PipelineFile } from "@sluice/model";
import { loadPipeline, type LoadOptions } from "./load-pipeline.ts";

export interface LoadedPipelineFile extends PipelineFile {
  migrated: MigrationNote[];
}

export type LoadFileResult = { ok: true; pipelines: LoadedPipelineFile[] } | { ok: false; issues: Issue[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Issues of a part of the file, with their field as a path from the file's top. */
const under = (prefix: string, issues: Issue[]) => issues.map((i) => ({ ...i, field: i.field ? `${prefix}.${i.field}` : prefix }));

function loadOne(json: unknown, at: string, fallbackName: string, options: LoadOptions): LoadFileResult {
  if (!isRecord(json)) return { ok: false, issues: [error("NOT_A_PIPELINE_FILE", `${at || "The file"} is not a pipeline: expected an object.`, { field: at || "file" })] };
  // A pipeline file wraps its graph; a bare graph is the document itself and is named after the file.
  const isFile = "graph" in json;
  const name = isFile ? displayNameSchema.safeParse(json.name) : displayNameSchema.safeParse(fallbackName);
  const prefix = (field: string) => (at ? `${at}.${field}` : field);
  if (!name.success) return { ok: false, issues: [error("NOT_A_PIPELINE_FILE", `name: ${name.error.issues[0]?.message ?? "missing"}`, { field: prefix("name") })] };
  // Checked as the server checks it: a description that is not text (null, a list of lines) or too long was dropped
  // here, so importing the file silently emptied the pipeline's description.
  const description = pipelineFileSchema.shape.description.safeParse(isFile ? json.description : undefined);
  if (!description.success) {
    return { ok: false, issues: [error("NOT_A_PIPELINE_FILE", `description: ${description.error.issues[0]?.message ?? "not text"}`, { field: prefix("description") })] };
  }
  const loaded = loadPipeline(isFile ? json.graph : json, options);
  if (!loaded.ok) return { ok: false, issues: isFile ? under(prefix("graph"), loaded.issues) : at ? under(at, loaded.issues) : loaded.issues };
  return { ok: true, pipelines: [{ name: name.data, description: description.data, graph: loaded.graph, migrated: loaded.migrated }] };
}

/**
 * How deeply a file may nest (objects and arrays), as the server allows a request to (MAX_INPUT_DEPTH): real files stay
 * under 20, and past a few thousand levels the loader's recursive steps (checking settings, migrating them, sorting
 * their keys) run out of stack, which would say only "Maximum call stack size exceeded".
 */
export const MAX_FILE_DEPTH = 64;

/**
 * The first thing in the file that cannot be read as it is: a number JSON.parse could only read as Infinity (1e400
 * overflows a double; JSON.stringify would send it on as null, so the file would be imported with null in its place),
 * or nesting deeper than MAX_FILE_DEPTH. Walks with its own stack, so any depth is safe.
 */
function unreadableAt(json: unknown): Issue | undefined {
  const stack: [unknown, string, number][] = [[json, "", 0]];
  while (stack.length) {
    const [value, at, depth] = stack.pop()!;
    if (typeof value === "number" && !Number.isFinite(value)) {
      const message = `${at || "The file"} is a number too large to represent (it overflows a double, like 1e400); write a smaller one.`;
      return error("NUMBER_OUT_OF_RANGE", message, { field: at || "file" });
    }
    if (typeof value === "object" && value !== null) {
      if (depth >= MAX_FILE_DEPTH) {
        return error("TOO_DEEPLY_NESTED", `${at} is nested more than ${MAX_FILE_DEPTH} levels deep; flatten it.`, { field: at });
      }
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        stack.push([v, at ? `${at}.${k}` : k, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * Reads what a user hands Sluice as a file: an export of several pipelines ({pipelines: [...]}), one pipeline file
 * ({name, description, graph}) or a bare graph (named `fallbackName`, e.g. after the file). Every graph goes
 * through loadPipeline, so older files come back migrated, with notes. The CLI and the web import both use it.
 */
export function loadPipelineFile(json: unknown, fallbackName: string, options: LoadOptions = {}): LoadFileResult {
  const unreadable = unreadableAt(json);
  if (unreadable) return { ok: false, issues: [unreadable] };
  if (isRecord(json) && Array.isArray(json.pipelines)) {
    const pipelines: LoadedPipelineFile[] = [];
    const issues: Issue[] = [];
    json.pipelines.forEach((entry: unknown, i) => {
      const one = loadOne(entry, `pipelines.${i}`, fallbackName, options);
      if (one.ok) pipelines.push(...one.pipelines);
      else issues.push(...one.issues);
    });
    return issues.length ? { ok: false, issues } : { ok: true, pipelines };
  }
  return loadOne(json, "", fallbackName, options);
}
