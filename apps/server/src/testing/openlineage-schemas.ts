import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; its default export arrives wrapped once more under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const specDir = path.resolve(import.meta.dirname, "../openlineage/spec");

/**
 * Validators for the vendored OpenLineage JSON Schemas (openlineage/spec): the event against OpenLineage.json, and
 * every facet object (run, job, dataset facets) against each facet schema, whose root checks the facet of its name.
 */
function compileSpec() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }); // the spec says `not: { required: [job, run] }` without declaring them there
  ajv.addVocabulary(["example"]);
  addFormats(ajv);
  const schemas = readdirSync(specDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(path.join(specDir, f), "utf8")) as { $id: string });
  for (const s of schemas) ajv.addSchema(s);
  const event = ajv.getSchema("https://openlineage.io/spec/2-0-2/OpenLineage.json")!;
  const facets = schemas.filter((s) => s.$id.includes("/facets/")).map((s) => ajv.getSchema(s.$id)!);
  return { event, facets };
}

let compiled: ReturnType<typeof compileSpec> | undefined;

const problems = (where: string, v: ValidateFunction) => (v.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? ""} (${e.schemaPath})`);

/** Every way `event` breaks the vendored schemas; empty when it is a valid RunEvent with valid facets. */
export function openLineageProblems(event: unknown): string[] {
  compiled ??= compileSpec();
  const out: string[] = [];
  if (!compiled.event(event)) out.push(...problems("event", compiled.event));
  const e = event as { run?: { facets?: unknown }; job?: { facets?: unknown }; inputs?: { facets?: unknown }[]; outputs?: { facets?: unknown }[] };
  const facetObjects: [string, unknown][] = [
    ["run.facets", e.run?.facets],
    ["job.facets", e.job?.facets],
    ...(e.inputs ?? []).map((d, i) => [`inputs[${i}].facets`, d.facets] as [string, unknown]),
    ...(e.outputs ?? []).map((d, i) => [`outputs[${i}].facets`, d.facets] as [string, unknown]),
  ];
  for (const [where, facets] of facetObjects) {
    if (facets === undefined) continue;
    for (const v of compiled.facets) if (!v(facets)) out.push(...problems(where, v));
  }
  return out;
}
