import { useState } from "react";
import { Link, Navigate, useNavigate } from "react-router-dom";
import { setupRequestSchema } from "@sluice/model";
import { useAuthConfig, useSetup } from "../api/auth.queries.ts";
import { ApiError } from "../api/client.ts";
import { apiFieldErrors, isExplainedByFields, localFieldErrors, type FieldErrors } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { TextField } from "../components/text-field.tsx";
import { NewPasswordField } from "../auth/new-password-field.tsx";

/** The first visit of a fresh install: creates the owner account of the Default workspace, then signs it in. */
export function SetupPage() {
  const config = useAuthConfig();
  const setup = useSetup();
  const navigate = useNavigate();
  const [body, setBody] = useState({ email: "", name: "", password: "", setupCode: "" });
  const [local, setLocal] = useState<FieldErrors>({});
  const fields = { ...apiFieldErrors(setup.error), ...local };

  if (config.isPending) return <Spinner label="Loading" />;
  // Someone created the owner already (another tab, or SLUICE_OWNER_EMAIL): nothing to set up.
  if (config.data && !config.data.setupRequired && !setup.isPending && !setup.isSuccess) return <Navigate to="/sign-in" replace />;
  const taken = setup.error instanceof ApiError && setup.error.code === "ALREADY_SET_UP";

  return (
    <div>
      <h1 className="mb-1 text-xl font-semibold">Welcome to Sluice</h1>
      <p className="mb-4 text-sm text-slate-600">
        Create the owner account. The owner invites the rest of the team and decides what each person may do; everything made so far is in its
        Default workspace.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const { setupCode, ...account } = body;
          const request = config.data?.setupCodeRequired ? { ...account, setupCode } : account;
          const found = localFieldErrors(setupRequestSchema, request);
          setLocal(found);
          if (Object.keys(found).length === 0) setup.mutate(request, { onSuccess: () => void navigate("/", { replace: true }) });
        }}
      >
        <TextField label="Email" type="email" autoComplete="username" value={body.email} onChange={(e) => setBody({ ...body, email: e.target.value })} error={fields.email} required autoFocus />
        <TextField label="Name" autoComplete="name" value={body.name} onChange={(e) => setBody({ ...body, name: e.target.value })} error={fields.name} required />
        <NewPasswordField value={body.password} onChange={(password) => setBody({ ...body, password })} error={fields.password} />
        {config.data?.setupCodeRequired && (
          <TextField
            label="Setup code"
            autoComplete="off"
            value={body.setupCode}
            onChange={(e) => setBody({ ...body, setupCode: e.target.value })}
            error={fields.setupCode}
            hint="This Sluice is served on a network: its log shows a one-time setup code at start (a line saying “setup code”), so that only its admin can create the owner."
            required
          />
        )}
        {setup.error && !isExplainedByFields(setup.error, fields) && (
          <ErrorBanner error={setup.error} action={taken ? <Link to="/sign-in" className="font-medium underline">Sign in</Link> : undefined} />
        )}
        <Button type="submit" variant="primary" className="w-full justify-center" disabled={setup.isPending}>
          Create the owner account
        </Button>
      </form>
    </div>
  );
}
