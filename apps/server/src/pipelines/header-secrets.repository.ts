import type { Db } from "../db/prisma.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/** A stored version that may still hold HTTP secrets in plain text, with its pipeline's name and workspace. */
export interface VersionWithHttpSecrets {
  id: string;
  pipeline_id: string;
  workspace_id: string;
  name: string;
  graph: unknown;
}

/** The queries of moving HTTP secrets out of stored versions (move-header-secrets.ts), a start-time data migration. */
export function headerSecretsRepository(db: Db) {
  return {
    /** Every version with an HTTP source node that names no credential yet, oldest first per pipeline. */
    versionsToMove: () => db.$queryRaw<VersionWithHttpSecrets[]>`
    SELECT v.id, v.pipeline_id, p.workspace_id, p.name, v.graph FROM pipeline_versions v JOIN pipelines p ON p.id = v.pipeline_id
    WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v.graph->'nodes') = 'array' THEN v.graph->'nodes' ELSE '[]'::jsonb END) n
                  WHERE n->>'type' = 'http' AND n->'config'->>'credentialId' IS NULL)
    ORDER BY v.pipeline_id, v.number`,
    /** Writes a version's graph back in place (versions are otherwise never changed; this one drops secrets). */
    async rewriteGraph(versionId: string, graph: unknown): Promise<void> {
      await db.pipelineVersion.update({ where: { id: versionId }, data: { graph: JSON.parse(JSON.stringify(graph)) as Prisma.InputJsonObject } });
    },
  };
}
