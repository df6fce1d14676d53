import type { RequestAuth } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import type { AuditHook, WrittenVersion } from "./pipeline.repository.ts";

/**
 * The audit entry of a pipeline change, written by the repository inside the change's transaction. `details` gets
 * what was written (the version number made), so the entry names the version the change produced.
 */
export function auditPipeline<T extends { id: string; name: string } = WrittenVersion>(
  auth: RequestAuth,
  action: string,
  details: (written: T) => Record<string, unknown> = () => ({}),
): AuditHook<T> {
  return (tx, written) =>
    recordAudit(tx, auth, { action, resourceType: "pipeline", resourceId: written.id, resourceLabel: written.name, details: details(written) });
}
