import { useId, useState } from "react";
import { postgresDestinationChanges, type ConnectionInfo, type ConnectionKind, type PostgresConnectionInfo } from "@sluice/model";
import { apiFieldErrors } from "../api/field-errors.ts";
import { useCreateConnection, useUpdateConnection } from "../api/connections.queries.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";
import { HttpCredentialForm } from "./http-credential-form.tsx";

type SslMode = PostgresConnectionInfo["settings"]["sslMode"];

/**
 * Create a connection, or edit one (whose kind stays). `kind` fixes the kind of a new one (a node's picker asks for
 * the kind it reads); otherwise a select offers both. `onDone` gets the saved connection, or nothing on Cancel.
 */
export function ConnectionForm({ existing, kind: fixedKind, onDone }: { existing: ConnectionInfo | null; kind?: ConnectionKind; onDone: (saved?: ConnectionInfo) => void }) {
  const [kind, setKind] = useState<ConnectionKind>(existing?.kind ?? fixedKind ?? "postgres");
  const kindId = useId();
  return (
    <>
      {!existing && !fixedKind && (
        // Labelled by id, not by wrapping: a wrapping label would name the select after its options too.
        <div className="mb-3">
          <label htmlFor={kindId} className="block text-sm font-medium text-slate-700">
            Kind
          </label>
          <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as ConnectionKind)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
            <option value="postgres">PostgreSQL database</option>
            <option value="http">HTTP credential (secret headers and query parameters for HTTP API sources)</option>
          </select>
        </div>
      )}
      {kind === "http" ? (
        <HttpCredentialForm existing={existing?.kind === "http" ? existing : null} onDone={onDone} />
      ) : (
        <PostgresConnectionForm existing={existing?.kind === "postgres" ? existing : null} onDone={onDone} />
      )}
    </>
  );
}

/**
 * Create or edit a Postgres connection. The password is write-only: it is never shown, and editing leaves
 * the stored one alone unless something is typed, except when the edit changes where it would be sent (host, port,
 * user, a weaker SSL mode): then the server wants it again (SECRET_REQUIRED), so the field turns required and says why.
 */
function PostgresConnectionForm({ existing, onDone }: { existing: PostgresConnectionInfo | null; onDone: (saved?: ConnectionInfo) => void }) {
  const create = useCreateConnection();
  const update = useUpdateConnection();
  const s = existing?.settings;
  const [name, setName] = useState(existing?.name ?? "");
  const [host, setHost] = useState(s?.host ?? "");
  const [port, setPort] = useState(String(s?.port ?? 5432));
  const [database, setDatabase] = useState(s?.database ?? "");
  const [user, setUser] = useState(s?.user ?? "");
  const [sslMode, setSslMode] = useState<SslMode>(s?.sslMode ?? "prefer");
  const [password, setPassword] = useState("");
  const mutation = existing ? update : create;
  const errors = apiFieldErrors(mutation.error);
  const err = (f: string) => errors[f] ?? errors[`settings.${f}`];
  const settings = { host: host.trim(), port: Number(port), database: database.trim(), user: user.trim(), sslMode };
  const moved = existing?.hasPassword ? postgresDestinationChanges(existing.settings, settings) : [];
  const passwordHint =
    moved.length > 0
      ? `Enter the password again: it is only sent to the server it was saved for, and the ${moved.map((f) => (f === "sslMode" ? "SSL mode" : f)).join(", ")} changed.`
      : existing?.hasPassword
        ? "A password is stored. Leave empty to keep it."
        : "Stored encrypted; never shown again.";

  const submit = () => {
    const done = { onSuccess: (saved: ConnectionInfo) => onDone(saved) };
    if (existing) update.mutate({ id: existing.id, body: { name, settings, ...(password !== "" ? { password } : {}) } }, done);
    else create.mutate({ name, kind: "postgres", settings, ...(password !== "" ? { password } : {}) }, done);
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={err("name")} autoFocus />
      <div className="grid grid-cols-3 gap-2">
        <TextField className="col-span-2" label="Host" value={host} onChange={(e) => setHost(e.target.value)} error={err("host")} />
        <TextField label="Port" type="number" value={port} onChange={(e) => setPort(e.target.value)} error={err("port")} />
      </div>
      <div className="grid grid-cols-2 gap-2">
        <TextField label="Database" value={database} onChange={(e) => setDatabase(e.target.value)} error={err("database")} />
        <TextField label="User" value={user} onChange={(e) => setUser(e.target.value)} error={err("user")} />
      </div>
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={err("password")}
        required={moved.length > 0}
        hint={passwordHint}
      />
      <label className="mb-3 block text-sm font-medium text-slate-700">
        SSL
        <select value={sslMode} onChange={(e) => setSslMode(e.target.value as SslMode)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
          <option value="disable">disable</option>
          <option value="prefer">prefer</option>
          <option value="require">require</option>
          <option value="verify-full">verify-full</option>
        </select>
      </label>
      {mutation.error && Object.keys(errors).length === 0 && <ErrorBanner error={mutation.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={() => onDone()}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={mutation.isPending}>
          {existing ? "Save connection" : "Create connection"}
        </Button>
      </div>
    </form>
  );
}
