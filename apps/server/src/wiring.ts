import type { Db } from "./db/prisma.ts";
import type { Deps } from "./http/deps.ts";
import { pipelineRepository } from "./pipelines/pipeline.repository.ts";
import { connectionRepository } from "./connections/connection.repository.ts";
import { createSecretBox } from "./connections/secret-box.ts";

export interface WiringOptions {
  db: Db;
  databaseKind: "embedded" | "external";
  secretKey: Buffer;
  version: string;
  log: (m: string) => void;
}

/** The one place that builds what handlers use, shared by the server and the tests. */
export function createDeps(o: WiringOptions): Deps {
  return {
    pipelines: pipelineRepository(o.db),
    connections: connectionRepository(o.db, createSecretBox(o.secretKey)),
    database: { kind: o.databaseKind },
    version: o.version,
    log: o.log,
  };
}
