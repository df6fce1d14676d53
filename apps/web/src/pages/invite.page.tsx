import { useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { acceptInvitationNewAccountSchema, type InvitationInfo, type Me } from "@sluice/model";
import { useMe, useSignOut } from "../api/auth.queries.ts";
import { apiFieldErrors, isExplainedByFields, localFieldErrors, type FieldErrors } from "../api/field-errors.ts";
import { useAcceptInvitation, useInvitationInfo } from "../api/members.queries.ts";
import { switchWorkspace } from "../auth/workspace-switcher.tsx";
import { roleDescriptions, roleLabels } from "../auth/role-descriptions.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { TextField } from "../components/text-field.tsx";
import { NewPasswordField } from "../auth/new-password-field.tsx";
import { formatDateTime } from "../lib/format-time.ts";

/**
 * An invitation link, `/invite#<token>`: the token rides in the fragment, which browsers never send to a server, so
 * it stays out of access logs and Referer headers. Shows what it offers; a signed-in person joins, anyone else
 * creates an account.
 */
export function InvitePage() {
  const token = decodeURIComponent(useLocation().hash.replace(/^#/, ""));
  const info = useInvitationInfo(token);
  const me = useMe();

  if (!token) return <Problem text="This invitation link is incomplete: copy the whole link, including the part after #." />;
  if (info.isPending || me.isPending) return <Spinner label="Reading the invitation" />;
  if (info.error) return <Problem text={info.error.message} />;
  return (
    <div>
      <h1 className="mb-2 text-xl font-semibold">Join {info.data.workspace.name}</h1>
      <p className="mb-1 text-sm text-slate-700">
        {info.data.invitedBy} invited you to the workspace <strong>{info.data.workspace.name}</strong> as <strong>{roleLabels[info.data.role].toLowerCase()}</strong>.
      </p>
      <p className="mb-1 text-sm text-slate-600">{roleDescriptions[info.data.role]}</p>
      <p className="mb-4 text-xs text-slate-500">The link works once, until {formatDateTime(info.data.expiresAt)}.</p>
      {me.data?.actor.kind === "person" ? <JoinAs me={me.data} token={token} info={info.data} /> : <CreateAccount token={token} info={info.data} />}
    </div>
  );
}

function Problem({ text }: { text: string }) {
  return (
    <div>
      <h1 className="mb-3 text-xl font-semibold">Invitation</h1>
      <ErrorBanner error={text} />
      <Link to="/sign-in" className="text-sm font-medium text-cyan-800 hover:underline">
        Go to sign-in
      </Link>
    </div>
  );
}

function JoinAs({ me, token, info }: { me: Me; token: string; info: InvitationInfo }) {
  const accept = useAcceptInvitation();
  const signOut = useSignOut();
  const email = me.actor.kind === "person" ? me.actor.email : "";
  return (
    <div>
      <p className="mb-4 text-sm text-slate-700">
        You are signed in as <strong>{email}</strong>.
        {info.email && info.email !== email && ` This invitation is for ${info.email}: sign out, then open the link again to use it.`}
      </p>
      {accept.error && <ErrorBanner error={accept.error} />}
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" disabled={accept.isPending} onClick={() => accept.mutate({ token }, { onSuccess: () => switchWorkspace(info.workspace.id) })}>
          Join {info.workspace.name}
        </Button>
        {/* Someone else's session on this browser: sign out and come back to the same link. */}
        <Button variant="ghost" disabled={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSuccess: () => window.location.reload() })}>
          Not {email}? Sign out
        </Button>
      </div>
    </div>
  );
}

function CreateAccount({ token, info }: { token: string; info: InvitationInfo }) {
  const accept = useAcceptInvitation();
  // An invitation for a named address can only make that account: the field shows it, fixed.
  const [body, setBody] = useState({ email: info.email ?? "", name: "", password: "" });
  const [local, setLocal] = useState<FieldErrors>({});
  const fields = { ...apiFieldErrors(accept.error), ...local };
  const signIn = `/sign-in?returnTo=${encodeURIComponent(`/invite#${token}`)}`;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const request = { token, ...body };
        const found = localFieldErrors(acceptInvitationNewAccountSchema, request);
        setLocal(found);
        if (Object.keys(found).length === 0) accept.mutate(request, { onSuccess: () => switchWorkspace(info.workspace.id) });
      }}
    >
      <p className="mb-3 text-sm text-slate-700">
        Create your account to join. Have one already?{" "}
        <Link to={signIn} className="font-medium text-cyan-800 hover:underline">
          Sign in first
        </Link>
        .
      </p>
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        value={body.email}
        readOnly={info.email !== null}
        onChange={(e) => setBody({ ...body, email: e.target.value })}
        error={fields.email}
        hint={info.email ? "This invitation is for this address only." : undefined}
        required
        autoFocus={info.email === null}
      />
      <TextField label="Name" autoComplete="name" value={body.name} onChange={(e) => setBody({ ...body, name: e.target.value })} error={fields.name} required autoFocus={info.email !== null} />
      <NewPasswordField value={body.password} onChange={(password) => setBody({ ...body, password })} error={fields.password} />
      {accept.error && !isExplainedByFields(accept.error, fields) && <ErrorBanner error={accept.error} />}
      <Button type="submit" variant="primary" className="w-full justify-center" disabled={accept.isPending}>
        Create account and join
      </Button>
    </form>
  );
}
