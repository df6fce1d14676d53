import type { Invitation } from "@sluice/model";
import { useRevokeInvitation } from "../api/members.queries.ts";
import { roleLabels } from "../auth/role-descriptions.ts";
import { Button } from "../components/button.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { formatDateTime } from "../lib/format-time.ts";

/** Invitations not used yet; revoking one makes its link useless. */
export function InvitationsTable({ invitations }: { invitations: Invitation[] }) {
  const revoke = useRevokeInvitation();
  if (invitations.length === 0) return <p className="text-sm text-slate-500">No pending invitations.</p>;
  return (
    <>
      <DataTable columns={[{ label: "Role" }, { label: "For" }, { label: "Invited by" }, { label: "Created" }, { label: "Expires" }, { label: "Actions", hidden: true }]}>
        {invitations.map((i) => (
          <tr key={i.id} data-testid="invitation-row">
            <td className="px-3 py-2">{roleLabels[i.role]}</td>
            <td className="px-3 py-2 text-slate-600">{i.email ?? "anyone with the link"}</td>
            <td className="px-3 py-2 text-slate-600">{i.invitedBy}</td>
            <td className="px-3 py-2 text-slate-600">{formatDateTime(i.createdAt)}</td>
            <td className="px-3 py-2 text-slate-600">{formatDateTime(i.expiresAt)}</td>
            <td className="px-3 py-2 text-right">
              <Button variant="ghost" aria-label={`Revoke invitation for ${i.email ?? roleLabels[i.role].toLowerCase()}`} disabled={revoke.isPending} onClick={() => revoke.mutate(i.id)}>
                Revoke
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
      {revoke.error && <ErrorBanner error={revoke.error} />}
    </>
  );
}
