import type { Issue, ParameterValues, PipelineGraph } from "@sluice/model";
import { parameterRecord, resolveParameters } from "@sluice/pipeline";
import { AppError } from "../http/app-error.ts";

/** What is wrong with values for this graph's parameters (unknown names, values that do not fit), each at `params.<name>`. */
export function parameterProblems(graph: PipelineGraph, supplied: ParameterValues | undefined): Issue[] {
  return resolveParameters(graph.parameters, supplied).issues.filter((i) => i.field?.startsWith("params."));
}

/**
 * The values a run of this graph uses: defaults, replaced by the supplied ones. Values the graph does not
 * declare, or that do not fit their type, are refused with 422 and a problem per value (field `params.<name>`).
 */
export function parameterValuesFor(graph: PipelineGraph, supplied: ParameterValues | undefined): ParameterValues {
  const problems = parameterProblems(graph, supplied);
  if (problems.length) {
    throw new AppError(422, "PARAMETERS_INVALID", `Some parameter values do not fit the pipeline: ${problems.map((p) => p.message).join(" ")}`, { problems });
  }
  return parameterRecord(resolveParameters(graph.parameters, supplied).values);
}
