import { NavLink, Outlet, useMatch } from "react-router-dom";
import { appPages } from "./app-pages.ts";

const nav = appPages.flatMap((p) => (p.nav ? [{ to: p.path, label: p.nav }] : []));

export function Layout() {
  // The editor needs the width for its canvas: there the navigation shrinks to a strip of short links.
  const compact = useMatch("/pipelines/:id") !== null;
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-cyan-900 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <nav aria-label="Main" className={`${compact ? "w-20 p-2" : "w-52 p-4"} shrink-0 border-r border-slate-200 bg-white`}>
        <div className={`mb-6 flex items-center gap-2 px-1 font-semibold text-cyan-800 ${compact ? "text-sm" : "text-lg"}`}>
          <span aria-hidden className="inline-block h-5 w-5 rounded bg-gradient-to-b from-cyan-500 to-cyan-800" />
          Sluice
        </div>
        <ul className="space-y-1">
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
      </nav>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-8 focus:outline-none">
        <Outlet />
      </main>
    </div>
  );
}
