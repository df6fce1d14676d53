import { useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { useAuthConfig, useMe, useSignIn } from "../api/auth.queries.ts";
import { ssoErrorMessage } from "../auth/sso-error-messages.ts";
import { safeReturnTo } from "../auth/return-to.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { TextField } from "../components/text-field.tsx";

/** Email and password, or the configured single sign-on; then back where the person was. */
export function SignInPage() {
  const config = useAuthConfig();
  const me = useMe();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get("returnTo"));
  const ssoError = params.get("error");
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  if (config.isPending) return <Spinner label="Loading" />;
  // A fresh install has nobody to sign in: its first visit creates the owner.
  if (config.data?.setupRequired) return <Navigate to="/setup" replace />;
  // Already signed in (another tab signed in, or a bookmark of this page).
  if (me.data) return <Navigate to={returnTo} replace />;

  return (
    <div>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      {ssoError && !signIn.error && <ErrorBanner error={ssoErrorMessage(ssoError)} />}
      {config.error && <ErrorBanner error={config.error} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ email, password }, { onSuccess: () => void navigate(returnTo, { replace: true }) });
        }}
      >
        <TextField label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        <TextField label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {signIn.error && <ErrorBanner error={signIn.error} />}
        <Button type="submit" variant="primary" className="w-full justify-center" disabled={signIn.isPending}>
          Sign in
        </Button>
      </form>
      {config.data?.sso && (
        <>
          <div className="my-4 flex items-center gap-3 text-xs text-slate-500">
            <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
          </div>
          {/* A full page load: the provider's sign-in is another site, and the server starts the redirect. */}
          <a
            href={`/api/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`}
            className="flex w-full justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
          >
            Sign in with {config.data.sso.name}
          </a>
        </>
      )}
      <p className="mt-4 text-xs text-slate-500">
        No account? Ask an owner of this Sluice for an invitation link.
      </p>
    </div>
  );
}
