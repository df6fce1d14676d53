/**
 * The parts of the OpenLineage spec Sluice emits, written from the vendored JSON Schemas in ./spec (there is no
 * npm client). Tests validate every built event against those schemas, so a drift here fails them.
 */

/** `$id`s of the vendored schemas: an event's `schemaURL` and each facet's `_schemaURL` point into them. */
export const SPEC_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json";
export const FACET_URLS = {
  schema: "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
  columnLineage: "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet",
  errorMessage: "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
  jobType: "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
  processingEngine: "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet",
} as const;

/** OpenLineage.json `#/$defs/RunEvent` eventType. */
export type EventType = "START" | "RUNNING" | "COMPLETE" | "ABORT" | "FAIL" | "OTHER";

/** `#/$defs/BaseFacet`: every facet names who produced it and the schema it follows. */
export interface BaseFacet {
  _producer: string;
  _schemaURL: string;
}

/** SchemaDatasetFacet.json `#/$defs/SchemaDatasetFacetFields`. */
export interface SchemaField {
  name: string;
  type?: string;
  description?: string;
  ordinal_position?: number;
  fields?: SchemaField[];
}

export interface SchemaDatasetFacet extends BaseFacet {
  fields: SchemaField[];
}

/** ColumnLineageDatasetFacet.json `#/$defs/InputField`. */
export interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations?: { type: "DIRECT" | "INDIRECT"; subtype?: string; description?: string; masking?: boolean }[];
}

export interface ColumnLineageDatasetFacet extends BaseFacet {
  /** Per output column, the input columns its values are computed from (or that decide them). */
  fields: Record<string, { inputFields: InputField[] }>;
  /** Input columns that affect the whole dataset: filter conditions, join and group keys, sort order. */
  dataset?: InputField[];
}

export interface ErrorMessageRunFacet extends BaseFacet {
  message: string;
  programmingLanguage: string;
  stackTrace?: string;
}

export interface JobTypeJobFacet extends BaseFacet {
  processingType: "BATCH" | "STREAMING" | "SERVICE";
  integration: string;
  jobType?: string;
}

export interface ProcessingEngineRunFacet extends BaseFacet {
  version: string;
  name?: string;
  openlineageAdapterVersion?: string;
}

export interface DatasetFacets {
  schema?: SchemaDatasetFacet;
  columnLineage?: ColumnLineageDatasetFacet;
}

/** `#/$defs/Dataset` (as an InputDataset or OutputDataset). */
export interface Dataset {
  namespace: string;
  name: string;
  facets?: DatasetFacets;
}

/** `#/$defs/RunEvent`. */
export interface RunEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  eventType: EventType;
  run: { runId: string; facets?: { errorMessage?: ErrorMessageRunFacet; processing_engine?: ProcessingEngineRunFacet } };
  job: { namespace: string; name: string; facets?: { jobType?: JobTypeJobFacet } };
  inputs: Dataset[];
  outputs: Dataset[];
}
