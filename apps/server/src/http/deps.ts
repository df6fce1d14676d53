import type { PipelineRepository } from "../pipelines/pipeline.repository.ts";
import type { ConnectionRepository } from "../connections/connection.repository.ts";

/** What route handlers may use; built once in app wiring, replaced by real components in tests too. */
export interface Deps {
  pipelines: PipelineRepository;
  connections: ConnectionRepository;
  database: { kind: "embedded" | "external" };
  version: string;
  log: (m: string) => void;
}
