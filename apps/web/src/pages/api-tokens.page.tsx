import { useState, useSyncExternalStore } from "react";
import { apiToken } from "../api/api-token.ts";
import { useCreateToken, useRevokeToken, useTokens } from "../api/tokens.queries.ts";
import { apiFieldErrors } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { TextField } from "../components/text-field.tsx";
import { formatDateTime } from "../lib/format-time.ts";

/** API tokens, for other systems and for browsers when the server requires them: created with a name, shown once, revocable. */
export function ApiTokensPage() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const browserToken = useSyncExternalStore(apiToken.subscribe, () => apiToken.state().token);
  return (
    <div className="max-w-5xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm text-slate-600">
          Other systems start runs with <code className="rounded bg-slate-100 px-1">POST /api/pipelines/:id/runs</code> and the header{" "}
          <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;token&gt;</code>. Only a hash of each token is stored. When this
          Sluice is served on a network (or <code className="rounded bg-slate-100 px-1">REQUIRE_API_TOKENS=true</code>), every request needs a token,
          this app&apos;s too.
        </p>
        {browserToken && (
          <p className="mt-2 flex items-center gap-2 text-sm text-slate-600">
            This browser sends the token <code className="rounded bg-slate-100 px-1">{browserToken.slice(0, 8)}…</code> with each request.
            <Button variant="ghost" onClick={() => apiToken.forget()}>
              Forget it
            </Button>
          </p>
        )}
      </div>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name, {
            onSuccess: (t) => {
              setFresh({ name: t.name, token: t.token });
              setCopied(false);
              setName("");
            },
          });
        }}
      >
        <TextField className="!mb-0 w-72" label="Token name" value={name} onChange={(e) => setName(e.target.value)} error={apiFieldErrors(create.error).name} placeholder="e.g. Airflow" />
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create token
        </Button>
      </form>
      {fresh && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="mb-1 font-medium">Copy the token for “{fresh.name}” now: it will not be shown again.</p>
          <div className="flex items-center gap-2">
            <code className="flex-1 rounded bg-white px-2 py-1 break-all" data-testid="new-token">
              {fresh.token}
            </code>
            <Button onClick={() => void navigator.clipboard?.writeText(fresh.token).then(() => setCopied(true))}>{copied ? "Copied" : "Copy"}</Button>
            <Button variant="ghost" onClick={() => setFresh(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      {tokens.isPending ? (
        <Spinner label="Loading tokens" />
      ) : tokens.error ? (
        <ErrorBanner error={tokens.error} />
      ) : tokens.data.tokens.length === 0 ? (
        <p className="text-sm text-slate-500">No tokens yet.</p>
      ) : (
        <DataTable columns={[{ label: "Name" }, { label: "Token" }, { label: "Created" }, { label: "Last used" }, { label: "Status" }, { label: "Actions", hidden: true }]}>
          {tokens.data.tokens.map((t) => (
            <tr key={t.id} data-testid="token-row">
              <td className="px-3 py-2 font-medium">{t.name}</td>
              <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
              <td className="px-3 py-2 text-slate-600">{formatDateTime(t.createdAt)}</td>
              <td className="px-3 py-2 text-slate-600">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
              <td className="px-3 py-2">{t.revokedAt ? <span className="text-slate-500">revoked</span> : <span className="text-emerald-800">active</span>}</td>
              <td className="px-3 py-2 text-right">
                {!t.revokedAt && (
                  <Button variant="ghost" aria-label={`Revoke ${t.name}`} onClick={() => revoke.mutate(t.id)}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {revoke.error && <ErrorBanner error={revoke.error} />}
    </div>
  );
}
