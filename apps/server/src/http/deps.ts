import type { PipelineRepository } from "../pipelines/pipeline.repository.ts";

/** What route handlers may use; built once in app wiring, replaced by real components in tests too. */
export interface Deps {
  pipelines: PipelineRepository;
  database: { kind: "embedded" | "external" };
  version: string;
  log: (m: string) => void;
}
