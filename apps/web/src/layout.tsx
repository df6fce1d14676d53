import { NavLink, Outlet } from "react-router-dom";

/** Pages in the left navigation; adding a page is one entry here and one route in main.tsx. */
const NAV = [
  { to: "/", label: "Home", end: true },
  { to: "/pipelines", label: "Pipelines", end: false },
];

export function Layout() {
  return (
    <div className="flex min-h-screen">
      <nav aria-label="Main" className="w-52 shrink-0 border-r border-slate-200 bg-white p-4">
        <div className="mb-6 flex items-center gap-2 text-lg font-semibold text-cyan-800">
          <span aria-hidden className="inline-block h-5 w-5 rounded bg-gradient-to-b from-cyan-500 to-cyan-800" />
          Sluice
        </div>
        <ul className="space-y-1">
          {NAV.map((n) => (
            <li key={n.to}>
              <NavLink
                to={n.to}
                end={n.end}
                className={({ isActive }) => `block rounded-md px-3 py-1.5 text-sm ${isActive ? "bg-cyan-50 font-medium text-cyan-900" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {n.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="min-w-0 flex-1 p-8">
        <Outlet />
      </main>
    </div>
  );
}
