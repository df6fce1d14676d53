import { NavLink, Outlet, useMatch } from "react-router-dom";
import type { Me } from "@sluice/model";
import { appPages } from "./app-pages.ts";
import { useMe } from "../api/auth.queries.ts";
import { ApiError } from "../api/client.ts";
import { can } from "../auth/can.ts";
import { AccountMenu } from "../auth/account-menu.tsx";
import { NoWorkspace } from "../auth/no-workspace.tsx";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";

/** The frame of every signed-in page. Pages render only once we know who is signed in, so every control can ask its role. */
export function Layout() {
  const me = useMe();
  if (me.isPending) return <Spinner label="Loading Sluice" />;
  if (me.error) {
    // A lost session is already on its way to the sign-in page (see main.tsx).
    if (me.error instanceof ApiError && me.error.code === "SIGN_IN_REQUIRED") return <Spinner label="Going to sign-in" />;
    return (
      <div className="max-w-xl p-8">
        <ErrorBanner error={me.error} action={<Button onClick={() => void me.refetch()}>Try again</Button>} />
      </div>
    );
  }
  return <Frame me={me.data} />;
}

function Frame({ me }: { me: Me }) {
  // The editor needs the width for its canvas: there the navigation shrinks to a strip of short links.
  const compact = useMatch("/pipelines/:id") !== null;
  const nav = appPages.flatMap((p) => (p.nav && (!p.requires || can(me, p.requires).allowed) ? [{ to: p.path, label: p.nav }] : []));
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-cyan-900 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <nav aria-label="Main" className={`${compact ? "w-20 p-2" : "w-52 p-4"} flex shrink-0 flex-col border-r border-slate-200 bg-white`}>
        <div className={`mb-6 flex items-center gap-2 px-1 font-semibold text-cyan-800 ${compact ? "text-sm" : "text-lg"}`}>
          <span aria-hidden className="inline-block h-5 w-5 rounded bg-gradient-to-b from-cyan-500 to-cyan-800" />
          Sluice
        </div>
        <ul className="flex-1 space-y-1">
          {nav.map((n) => (
            <li key={n.to}>
              <NavLink
                to={n.to}
                end={n.to === "/"}
                className={({ isActive }) =>
                  `block rounded-md ${compact ? "px-1.5 py-1 text-xs" : "px-3 py-1.5 text-sm"} ${isActive ? "bg-cyan-50 font-medium text-cyan-900" : "text-slate-700 hover:bg-slate-100"}`
                }
              >
                {n.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <AccountMenu me={me} compact={compact} />
      </nav>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-8 focus:outline-none">
        {me.workspace ? <Outlet /> : <NoWorkspace />}
      </main>
    </div>
  );
}
