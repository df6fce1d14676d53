import { useId, useState } from "react";
import { roleSchema, type Role } from "@sluice/model";
import { useCreateToken, useRevokeToken, useTokens } from "../api/tokens.queries.ts";
import { apiFieldErrors } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { TextField } from "../components/text-field.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { useCan } from "../auth/use-can.ts";
import { roleDescriptions, roleLabels } from "../auth/role-descriptions.ts";
import { panelInputClass } from "../components/input-class.ts";

/** API tokens, for other systems: created with a name and a role in this workspace, shown once, revocable. */
export function ApiTokensPage() {
  const manage = useCan("token.manage");
  const tokens = useTokens(manage.allowed);
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState("");
  // Enough to start runs, which is what other systems usually do.
  const [role, setRole] = useState<Role>("runner");
  const roleId = useId();
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="max-w-5xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm text-slate-600">
          Other systems start runs with <code className="rounded bg-slate-100 px-1">POST /api/pipelines/:id/runs</code> and the header{" "}
          <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;token&gt;</code>. A token acts in this workspace with the role it was
          given. Only a hash of each token is stored.
        </p>
      </div>
      {!manage.allowed ? (
        <p className="text-sm text-slate-600">{manage.reason}</p>
      ) : (
        <>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, role }, {
            onSuccess: (t) => {
              setFresh({ name: t.name, token: t.token });
              setCopied(false);
              setName("");
            },
          });
        }}
      >
        <TextField className="!mb-0 w-72" label="Token name" value={name} onChange={(e) => setName(e.target.value)} error={apiFieldErrors(create.error).name} placeholder="e.g. Airflow" />
        <div>
          <label htmlFor={roleId} className="mb-1 block text-sm font-medium text-slate-700">
            Token role
          </label>
          <select id={roleId} className={`${panelInputClass} !py-1.5`} value={role} title={roleDescriptions[role]} onChange={(e) => setRole(roleSchema.parse(e.target.value))}>
            {roleSchema.options.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </div>
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
        <DataTable columns={[{ label: "Name" }, { label: "Token" }, { label: "Role" }, { label: "Made by" }, { label: "Created" }, { label: "Last used" }, { label: "Status" }, { label: "Actions", hidden: true }]}>
          {tokens.data.tokens.map((t) => (
            <tr key={t.id} data-testid="token-row">
              <td className="px-3 py-2 font-medium">{t.name}</td>
              <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
              <td className="px-3 py-2">{roleLabels[t.role]}</td>
              <td className="px-3 py-2 text-slate-600" title={t.createdBy ? undefined : "Made by no person: SLUICE_OWNER_TOKEN or npm run token:create"}>
                {t.createdBy ? t.createdBy.email : "—"}
              </td>
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
        </>
      )}
    </div>
  );
}
