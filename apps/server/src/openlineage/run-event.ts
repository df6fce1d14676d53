import { FACET_URLS, SPEC_URL, type EventType, type RunEvent } from "./openlineage.types.ts";
import type { RunDatasets } from "./run-datasets.ts";

/** Who made the events: OpenLineage asks for a URI; a URN names Sluice and its version without inventing a web address. */
export const producerUri = (version: string) => `urn:sluice:server:${encodeURIComponent(version)}`;

export interface RunEventInput {
  eventType: EventType;
  eventTime: Date;
  runId: string;
  /** The job: OPENLINEAGE_NAMESPACE and the pipeline's name, prefixed by its workspace's (see jobName). */
  job: { namespace: string; name: string };
  datasets: RunDatasets;
  /** The run's error, on FAIL and ABORT. */
  error?: string | null | undefined;
  producer: string;
  version: string;
}

/**
 * The job's name: `<workspace>/<pipeline>`. Pipelines are named uniquely only within a workspace, and two workspaces'
 * "orders" must not become one job in Marquez.
 */
export const jobName = (workspaceName: string, pipelineName: string) => `${workspaceName}/${pipelineName}`;

/** One OpenLineage RunEvent, per OpenLineage.json `#/$defs/RunEvent` and the facets in ./spec. */
export function runEvent(i: RunEventInput): RunEvent {
  const facet = (url: string) => ({ _producer: i.producer, _schemaURL: url });
  return {
    eventTime: i.eventTime.toISOString(),
    producer: i.producer,
    schemaURL: `${SPEC_URL}#/$defs/RunEvent`,
    eventType: i.eventType,
    run: {
      runId: i.runId,
      facets: {
        processing_engine: { ...facet(FACET_URLS.processingEngine), name: "Sluice", version: i.version },
        ...(i.error ? { errorMessage: { ...facet(FACET_URLS.errorMessage), message: i.error, programmingLanguage: "TypeScript" } } : {}),
      },
    },
    job: {
      namespace: i.job.namespace,
      name: i.job.name,
      facets: { jobType: { ...facet(FACET_URLS.jobType), processingType: "BATCH", integration: "SLUICE", jobType: "PIPELINE" } },
    },
    inputs: i.datasets.inputs,
    outputs: i.datasets.outputs,
  };
}
