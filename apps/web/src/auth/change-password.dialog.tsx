import { useState } from "react";
import { changePasswordRequestSchema } from "@sluice/model";
import { useChangePassword } from "../api/auth.queries.ts";
import { apiFieldErrors, isExplainedByFields, localFieldErrors } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";

export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog title="Change password" open={open} onClose={onClose}>
      <ChangePasswordForm onClose={onClose} />
    </Dialog>
  );
}

function ChangePasswordForm({ onClose }: { onClose: () => void }) {
  const change = useChangePassword();
  const [body, setBody] = useState({ currentPassword: "", newPassword: "" });
  const [local, setLocal] = useState<Partial<Record<string, string>>>({});
  const fields = { ...apiFieldErrors(change.error), ...local };
  if (change.isSuccess) {
    return (
      <div role="status">
        <p className="mb-4 text-sm text-slate-700">Your password is changed. Your other sessions have ended; this one goes on.</p>
        <div className="flex justify-end">
          <Button variant="primary" onClick={onClose} autoFocus>
            Done
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const found = localFieldErrors(changePasswordRequestSchema, body);
        setLocal(found);
        if (Object.keys(found).length === 0) change.mutate(body);
      }}
    >
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={body.currentPassword}
        onChange={(e) => setBody({ ...body, currentPassword: e.target.value })}
        error={fields.currentPassword}
        autoFocus
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={body.newPassword}
        onChange={(e) => setBody({ ...body, newPassword: e.target.value })}
        error={fields.newPassword}
        hint="At least 10 characters. Your other sessions end."
      />
      {change.error && !isExplainedByFields(change.error, fields) && <ErrorBanner error={change.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={change.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
