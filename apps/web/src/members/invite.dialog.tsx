import { useId, useState } from "react";
import { roleSchema, type CreatedInvitation, type Role } from "@sluice/model";
import { apiFieldErrors, isExplainedByFields } from "../api/field-errors.ts";
import { useCreateInvitation } from "../api/members.queries.ts";
import { roleDescriptions, roleLabels } from "../auth/role-descriptions.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { panelInputClass } from "../components/input-class.ts";
import { TextField } from "../components/text-field.tsx";
import { formatDateTime } from "../lib/format-time.ts";

/** Makes a one-time invitation link for a role; the owner copies it (it is also mailed when SMTP is set up). */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog title="Invite someone" open={open} onClose={onClose}>
      <InviteForm onClose={onClose} />
    </Dialog>
  );
}

function InviteForm({ onClose }: { onClose: () => void }) {
  const create = useCreateInvitation();
  // The least a newcomer can do, until the owner chooses more.
  const [role, setRole] = useState<Role>("viewer");
  const [email, setEmail] = useState("");
  const roleId = useId();
  const fields = apiFieldErrors(create.error);
  if (create.data) return <CreatedLink invitation={create.data} onClose={onClose} />;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const to = email.trim();
        create.mutate(to ? { role, email: to } : { role });
      }}
    >
      <div className="mb-3">
        <label htmlFor={roleId} className="mb-1 block text-sm font-medium text-slate-700">
          Role
        </label>
        <select id={roleId} className={panelInputClass} value={role} onChange={(e) => setRole(roleSchema.parse(e.target.value))}>
          {roleSchema.options.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </select>
        <p className="mt-1 text-xs text-slate-500">{roleDescriptions[role]}</p>
      </div>
      <TextField
        label="Email (optional)"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fields.email}
        hint="Then only this email can accept it, and the link is mailed when this Sluice can send mail. Leave empty for a link anyone holding it can use."
      />
      {create.error && !isExplainedByFields(create.error, fields) && <ErrorBanner error={create.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create invite link
        </Button>
      </div>
    </form>
  );
}

function CreatedLink({ invitation, onClose }: { invitation: CreatedInvitation; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status">
      <p className="mb-2 text-sm text-slate-700">
        Send this link to the person you invite as {roleLabels[invitation.role].toLowerCase()}
        {invitation.email ? ` (${invitation.email})` : ""}. Copy it now: it is not shown again. It works once, until {formatDateTime(invitation.expiresAt)}.
      </p>
      {invitation.emailed && <p className="mb-2 text-sm text-emerald-800">It was also emailed to {invitation.email}.</p>}
      <div className="mb-4 flex items-center gap-2">
        <input readOnly aria-label="Invite link" value={invitation.link} onFocus={(e) => e.target.select()} className={`${panelInputClass} font-mono text-xs`} data-testid="invite-link" />
        <Button onClick={() => void navigator.clipboard?.writeText(invitation.link).then(() => setCopied(true))}>{copied ? "Copied" : "Copy"}</Button>
      </div>
      <div className="flex justify-end">
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </div>
    </div>
  );
}
