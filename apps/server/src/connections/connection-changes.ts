import type { ConnectionInfo, updateConnectionRequestSchema } from "@sluice/model";
import type { z } from "zod";

type UpdateBody = z.output<typeof updateConnectionRequestSchema>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields an edit changed, by name, for the audit log (`connection.changed`). Secrets are named, never valued:
 * a password or secret header sent with a value counts as changed, as the sealed old value cannot be compared.
 */
export function changedConnectionFields(before: ConnectionInfo, after: ConnectionInfo, body: UpdateBody): string[] {
  const fields: string[] = [];
  if (before.name !== after.name) fields.push("name");
  if (before.kind === "postgres" && after.kind === "postgres") {
    const keys = new Set([...Object.keys(before.settings), ...Object.keys(after.settings)]) as Set<keyof typeof before.settings>;
    for (const k of keys) if (!same(before.settings[k], after.settings[k])) fields.push(`settings.${k}`);
    if (body.kind !== "http" && body.password !== undefined) fields.push("password");
  } else if (before.kind === "http" && after.kind === "http" && body.kind === "http") {
    if (!same(before.settings.hosts, after.settings.hosts)) fields.push("settings.hosts");
    const valued = (list: { value?: string | undefined }[] | undefined) => (list ?? []).some((s) => s.value !== undefined);
    if (!same(before.headerNames, after.headerNames) || valued(body.headers)) fields.push("headers");
    if (!same(before.queryParamNames, after.queryParamNames) || valued(body.queryParams)) fields.push("queryParams");
  }
  return fields;
}
