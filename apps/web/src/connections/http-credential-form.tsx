import { useState } from "react";
import type { HttpCredentialInfo } from "@sluice/model";
import { apiFieldErrors } from "../api/field-errors.ts";
import { useCreateConnection, useUpdateConnection } from "../api/connections.queries.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";

/** A header row; `stored` when the server holds a value under this name, which an empty value keeps. */
type Row = { key: number; name: string; value: string; stored: boolean };

let nextKey = 0;
const row = (name = "", stored = false): Row => ({ key: nextKey++, name, value: "", stored });

/**
 * Create or edit an HTTP credential: secret headers (Authorization, X-API-Key, …) that HTTP API sources send
 * without the pipeline holding them. Values are write-only like a password: never shown, and an edit keeps
 * a stored value unless a new one is typed.
 */
export function HttpCredentialForm({ existing, onDone }: { existing: HttpCredentialInfo | null; onDone: () => void }) {
  const create = useCreateConnection();
  const update = useUpdateConnection();
  const [name, setName] = useState(existing?.name ?? "");
  const [hosts, setHosts] = useState(existing?.settings.hosts.join(", ") ?? "");
  const [rows, setRows] = useState<Row[]>(() => (existing ? existing.headerNames.map((n) => row(n, true)) : [row("Authorization")]));
  const mutation = existing ? update : create;
  const errors = apiFieldErrors(mutation.error);
  const hostsError = Object.entries(errors).find(([k]) => k.startsWith("settings.hosts"))?.[1];
  const setRow = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = () => {
    const settings = { hosts: hosts.split(/[\s,]+/).filter((h) => h !== "") };
    const done = { onSuccess: onDone };
    if (existing) {
      const headers = rows.map((r) => ({ name: r.name.trim(), ...(r.value !== "" ? { value: r.value } : {}) }));
      update.mutate({ id: existing.id, body: { kind: "http", name, settings, headers } }, done);
    } else {
      create.mutate({ name, kind: "http", settings, headers: rows.map((r) => ({ name: r.name.trim(), value: r.value })) }, done);
    }
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
        onChange={(e) => setHosts(e.target.value)}
        error={hostsError}
        hint="Host names the headers may be sent to, separated by commas. Leave empty for the host of each source's own URL."
      />
      <fieldset className="mb-3">
        <legend className="mb-1 text-sm font-medium text-slate-700">Secret headers</legend>
        {rows.map((r, i) => (
          <div key={r.key} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
            <TextField label={`Header ${i + 1} name`} value={r.name} onChange={(e) => setRow(r.key, { name: e.target.value, stored: false })} error={errors[`headers.${i}.name`]} />
            <TextField
              label={`Header ${i + 1} value`}
              type="password"
              autoComplete="new-password"
              value={r.value}
              onChange={(e) => setRow(r.key, { value: e.target.value })}
              error={errors[`headers.${i}.value`]}
              hint={r.stored ? "Stored. Leave empty to keep it." : "Stored encrypted; never shown again."}
            />
            <Button variant="ghost" className="mt-6" aria-label={`Remove header ${i + 1}`} disabled={rows.length === 1} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
              ✕
            </Button>
          </div>
        ))}
        {errors.headers && <p className="text-sm text-red-700">{errors.headers}</p>}
        <Button onClick={() => setRows((rs) => [...rs, row()])} disabled={rows.length >= 20}>
          Add header
        </Button>
      </fieldset>
      {mutation.error && Object.keys(errors).length === 0 && <ErrorBanner error={mutation.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={mutation.isPending}>
          {existing ? "Save credential" : "Create credential"}
        </Button>
      </div>
    </form>
  );
}
