import { useState } from "react";
import { addedCredentialHosts, type ConnectionInfo, type HttpCredentialInfo } from "@sluice/model";
import { apiFieldErrors } from "../api/field-errors.ts";
import { useCreateConnection, useUpdateConnection } from "../api/connections.queries.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";
import { SecretRows, secretRow, type SecretRow } from "./secret-rows.tsx";

const splitHosts = (text: string) => text.split(/[\s,]+/).filter((h) => h !== "");

/**
 * Create or edit an HTTP credential: secret headers (Authorization, X-API-Key, …) and query parameters (api_key, …)
 * that HTTP API sources send, only to the credential's hosts, without the pipeline holding them. Values are
 * write-only like a password: never shown, and an edit keeps a stored value unless a new one is typed, except when
 * the edit adds a host: then the server wants every value again (SECRET_REQUIRED), so the fields turn required.
 */
export function HttpCredentialForm({ existing, onDone }: { existing: HttpCredentialInfo | null; onDone: (saved?: ConnectionInfo) => void }) {
  const create = useCreateConnection();
  const update = useUpdateConnection();
  const [name, setName] = useState(existing?.name ?? "");
  const [hosts, setHosts] = useState(existing?.settings.hosts.join(", ") ?? "");
  const [headers, setHeaders] = useState<SecretRow[]>(() => (existing ? existing.headerNames.map((n) => secretRow(n, true)) : [secretRow("Authorization")]));
  const [params, setParams] = useState<SecretRow[]>(() => (existing ? existing.queryParamNames.map((n) => secretRow(n, true)) : []));
  const mutation = existing ? update : create;
  const errors = apiFieldErrors(mutation.error);
  const hostsError = Object.entries(errors).find(([k]) => k.startsWith("settings.hosts"))?.[1];
  const hostList = splitHosts(hosts);
  const retype = existing !== null && addedCredentialHosts(existing.settings.hosts, hostList).length > 0;
  const total = headers.length + params.length;

  const submit = () => {
    const settings = { hosts: hostList };
    const done = { onSuccess: (saved: ConnectionInfo) => onDone(saved) };
    const edit = (rows: SecretRow[]) => rows.map((r) => ({ name: r.name.trim(), ...(r.value !== "" ? { value: r.value } : {}) }));
    const full = (rows: SecretRow[]) => rows.map((r) => ({ name: r.name.trim(), value: r.value }));
    if (existing) update.mutate({ id: existing.id, body: { kind: "http", name, settings, headers: edit(headers), queryParams: edit(params) } }, done);
    else create.mutate({ name, kind: "http", settings, headers: full(headers), queryParams: full(params) }, done);
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} autoFocus />
      <TextField
        label="Hosts"
        value={hosts}
        placeholder="api.example.com"
        required
        onChange={(e) => setHosts(e.target.value)}
        error={hostsError}
        hint={
          retype
            ? "A new host: enter every secret below again, since stored ones are only sent to the hosts they were saved for."
            : "Host names the secrets may be sent to (and no other), separated by commas; at least one."
        }
      />
      <SecretRows noun="header" legend="Secret headers" field="headers" rows={headers} onChange={setHeaders} errors={errors} retype={retype} canRemoveLast={params.length > 0} />
      <SecretRows noun="query parameter" legend="Secret query parameters" field="queryParams" rows={params} onChange={setParams} errors={errors} retype={retype} canRemoveLast={headers.length > 0} />
      {total === 0 && <p className="mb-3 text-sm text-red-700">Add at least one header or query parameter.</p>}
      {mutation.error && Object.keys(errors).length === 0 && <ErrorBanner error={mutation.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={() => onDone()}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={mutation.isPending || total === 0}>
          {existing ? "Save credential" : "Create credential"}
        </Button>
      </div>
    </form>
  );
}
