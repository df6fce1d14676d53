import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { httpCredentialSettingsSchema, secretHeaderSchema, secretQueryParamSchema } from "@sluice/model";
import type { HttpCredentialResolver } from "@sluice/engine";

/**
 * A `--credentials FILE` for local runs: `{"<credentialId>": {"hosts": [...], "headers": [{"name", "value"}], "queryParams": [{"name", "value"}]}}`,
 * the same shape and rules as an HTTP credential on a server, since a pipeline file names a credential by id
 * and never holds its secret headers.
 */
const credentialsFileSchema = z.record(
  z.string().min(1),
  httpCredentialSettingsSchema
    .extend({ headers: z.array(secretHeaderSchema).max(20).default([]), queryParams: z.array(secretQueryParamSchema).max(20).default([]) })
    .refine((c) => c.headers.length + c.queryParams.length > 0, { error: "add at least one header or query parameter", path: ["headers"] }),
);

const HOW = "pass --credentials FILE with its headers (see docs/pipelines-as-code.md)";

/** The resolver local runs use: the file's credentials, or none at all without --credentials (never a server's). */
export function localCredentials(file: string | undefined, cwd = "."): { ok: true; value: HttpCredentialResolver } | { ok: false; message: string } {
  if (file === undefined) {
    return { ok: true, value: async (id) => Promise.reject(new Error(`credential "${id}" lives on a Sluice server: run against it (without --local), or ${HOW}`)) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(cwd, file), "utf8"));
  } catch (e) {
    return { ok: false, message: `--credentials ${file} cannot be read as JSON: ${(e as Error).message.split("\n")[0]}` };
  }
  const parsed = credentialsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, message: `--credentials ${file}: ${first?.path.join(".") || "the file"}: ${first?.message ?? "not valid"} (expected {"<id>": {"hosts": ["api.example.com"], "headers": [{"name": "Authorization", "value": "..."}]}})` };
  }
  const credentials = parsed.data;
  return {
    ok: true,
    value: async (id) => {
      const c = credentials[id];
      if (!c) throw new Error(`credential "${id}" is not in --credentials ${file}; add it there`);
      return { name: id, hosts: c.hosts, headers: c.headers, queryParams: c.queryParams };
    },
  };
}
