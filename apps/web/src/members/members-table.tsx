import { useState } from "react";
import { roleSchema, type Member } from "@sluice/model";
import { useChangeRole, useRemoveMember } from "../api/members.queries.ts";
import type { Permission } from "../auth/can.ts";
import { roleLabels } from "../auth/role-descriptions.ts";
import { Button } from "../components/button.tsx";
import { DataTable } from "../components/data-table.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { panelInputClass } from "../components/input-class.ts";
import { formatDateTime } from "../lib/format-time.ts";

/** The workspace's members with their roles; owners change roles and remove people, others only read. */
export function MembersTable({ members, manage, myId }: { members: Member[]; manage: Permission; myId: string | null }) {
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const [removing, setRemoving] = useState<Member | null>(null);
  const why = manage.reason ?? undefined;
  return (
    <>
      <DataTable columns={[{ label: "Name" }, { label: "Email" }, { label: "Role" }, { label: "Joined" }, { label: "Actions", hidden: true }]}>
        {members.map((m) => (
          <tr key={m.userId} data-testid="member-row">
            <td className="px-3 py-2 font-medium">
              {m.name}
              {m.userId === myId && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
            </td>
            <td className="px-3 py-2 text-slate-600">{m.email}</td>
            <td className="px-3 py-2">
              <select
                aria-label={`Role of ${m.email}`}
                className={`${panelInputClass} w-32`}
                value={m.role}
                disabled={!manage.allowed || changeRole.isPending}
                title={why}
                onChange={(e) => changeRole.mutate({ userId: m.userId, role: roleSchema.parse(e.target.value) })}
              >
                {roleSchema.options.map((r) => (
                  <option key={r} value={r}>
                    {roleLabels[r]}
                  </option>
                ))}
              </select>
            </td>
            <td className="px-3 py-2 text-slate-600">{formatDateTime(m.joinedAt)}</td>
            <td className="px-3 py-2 text-right">
              <Button variant="ghost" aria-label={`Remove ${m.email}`} disabled={!manage.allowed} title={why} onClick={() => setRemoving(m)}>
                Remove
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
      {changeRole.error && <ErrorBanner error={changeRole.error} />}
      <Dialog title="Remove member?" open={removing !== null} onClose={() => setRemoving(null)}>
        {removing && (
          <div>
            <p className="mb-4 text-sm text-slate-700">
              {removing.userId === myId
                ? "You will leave this workspace and no longer see any of it."
                : `${removing.name} (${removing.email}) will no longer see or change anything in this workspace. Their sessions elsewhere go on.`}
            </p>
            {remove.error && <ErrorBanner error={remove.error} />}
            <div className="flex justify-end gap-2">
              <Button onClick={() => setRemoving(null)}>Cancel</Button>
              <Button
                variant="danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate(removing.userId, { onSuccess: () => setRemoving(null) })}
              >
                Remove
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
