import { useState } from "react";
import type { ConnectionInfo, ConnectionTestResult, WorkspaceLineage } from "@sluice/model";
import { useConnections, useDeleteConnection, useTestConnection } from "../api/connections.queries.ts";
import { Badge } from "../components/badge.tsx";
import { Button } from "../components/button.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { ConnectionForm } from "../connections/connection-form.tsx";
import { useWorkspaceLineage } from "../api/lineage.queries.ts";
import { UsedBy } from "../lineage/used-by.tsx";
import { connectionTables } from "../lineage/workspace-graph.ts";
import { formatDuration } from "../lib/format-duration.ts";

export function ConnectionsPage() {
  const conns = useConnections();
  const lineage = useWorkspaceLineage();
  const [editing, setEditing] = useState<ConnectionInfo | "new" | null>(null);
  const [deleting, setDeleting] = useState<ConnectionInfo | null>(null);
  return (
    <div className="max-w-5xl">
      <div className="mb-4 flex items-center justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Connections</h1>
          <p className="text-sm text-slate-600">PostgreSQL databases that pipelines read from and write to, and HTTP credentials: the secret headers HTTP API sources send.</p>
        </div>
        <PermittedButton action="connection.edit" what="create connections" variant="primary" onClick={() => setEditing("new")}>
          New connection
        </PermittedButton>
      </div>
      {conns.isPending ? (
        <Spinner label="Loading connections" />
      ) : conns.error ? (
        <ErrorBanner error={conns.error} action={<Button onClick={() => void conns.refetch()}>Try again</Button>} />
      ) : (
        <ul className="space-y-2">
          {conns.data.connections.map((c) => (
            <ConnectionRow key={c.id} connection={c} lineage={lineage.data} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} />
          ))}
        </ul>
      )}
      <Dialog title={editing === "new" ? "New connection" : "Edit connection"} open={editing !== null} onClose={() => setEditing(null)}>
        <ConnectionForm existing={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
      </Dialog>
      <DeleteConnectionDialog connection={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}

function ConnectionRow({ connection: c, lineage, onEdit, onDelete }: { connection: ConnectionInfo; lineage: WorkspaceLineage | undefined; onEdit: () => void; onDelete: () => void }) {
  const test = useTestConnection();
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  /** Why the connection cannot be used (the built-in warehouse, when Sluice could not set it up safely). */
  const off = c.kind === "postgres" ? c.unavailable : undefined;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3" data-testid="connection-row">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-2 font-medium">
            {c.name}
            {c.builtIn && <Badge tone="neutral">built-in</Badge>}
            {off && <Badge tone="warning">off</Badge>}
          </div>
          <div className="truncate text-sm text-slate-600">
            {c.kind === "http" ? (
              <>
                HTTP credential · {c.settings.hosts.length ? `for ${c.settings.hosts.join(", ")}` : "no hosts: unusable until you add them and enter its secrets again"}
                {c.headerNames.length > 0 && ` · headers stored: ${c.headerNames.join(", ")}`}
                {c.queryParamNames.length > 0 && ` · query parameters stored: ${c.queryParamNames.join(", ")}`}
              </>
            ) : (
              <>
                {c.settings.user}@{c.settings.host}:{c.settings.port}/{c.settings.database} · SSL {c.settings.sslMode}
                {c.hasPassword ? " · password stored" : ""}
              </>
            )}
          </div>
        </div>
        {/* A connection that is off has nothing to test: the reason below says what to change instead. An HTTP
            credential is tried by the sources that use it (validate or preview one). */}
        {!off && c.kind === "postgres" && (
          <PermittedButton
            action="connection.edit"
            what="test connections"
            aria-label={`Test ${c.name}`}
            disabled={test.isPending}
            onClick={() => test.mutate(c.id, { onSuccess: setResult, onError: () => setResult(null) })}
          >
            {test.isPending ? "Testing…" : "Test"}
          </PermittedButton>
        )}
        {!c.builtIn && (
          <>
            <PermittedButton action="connection.edit" what="change connections" variant="ghost" aria-label={`Edit ${c.name}`} onClick={onEdit}>
              Edit
            </PermittedButton>
            <PermittedButton action="connection.edit" what="delete connections" variant="ghost" aria-label={`Delete ${c.name}`} onClick={onDelete}>
              Delete
            </PermittedButton>
          </>
        )}
      </div>
      {off && (
        <p role="note" className="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="connection-unavailable">
          Turned off: {off}
        </p>
      )}
      {result && (
        <p role="status" className={`mt-2 text-sm ${result.ok ? "text-emerald-800" : "text-red-700"}`} data-testid="connection-test-result">
          {result.ok ? `Connected${result.serverVersion ? ` to PostgreSQL ${result.serverVersion}` : ""} in ${formatDuration(result.elapsedMs)}.` : result.message}
        </p>
      )}
      {test.error && <ErrorBanner error={test.error} />}
      {c.kind === "postgres" && lineage && <ConnectionUsedBy connection={c} lineage={lineage} />}
    </li>
  );
}

/** The connection's tables that pipelines read or write, and by whom (from GET /api/lineage). */
function ConnectionUsedBy({ connection, lineage }: { connection: ConnectionInfo; lineage: WorkspaceLineage }) {
  const tables = connectionTables(lineage, connection);
  return (
    <div className="mt-2 text-xs" data-testid="connection-used-by">
      {tables.length === 0 ? (
        <p className="text-slate-600">Used by: no pipeline reads or writes its tables.</p>
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          {tables.map((t) => (
            <div key={t.dataset.name} className="contents">
              <dt className="font-medium">{t.dataset.label}</dt>
              <dd>
                <UsedBy users={t.users} label={`Pipelines that use ${t.dataset.label}`} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function DeleteConnectionDialog({ connection, onClose }: { connection: ConnectionInfo | null; onClose: () => void }) {
  const del = useDeleteConnection();
  const close = () => (del.reset(), onClose());
  return (
    <Dialog title="Delete connection?" open={connection !== null} onClose={close}>
      {connection && (
        <>
          <p className="mb-3 text-sm text-slate-700">“{connection.name}” and its stored {connection.kind === "http" ? "secret headers and query parameters" : "password"} will be removed.</p>
          {del.error && <ErrorBanner error={del.error} />}
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button variant="danger" disabled={del.isPending} onClick={() => del.mutate(connection.id, { onSuccess: close })}>
              Delete
            </Button>
          </div>
        </>
      )}
    </Dialog>
  );
}
