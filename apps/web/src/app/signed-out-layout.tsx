import { Outlet } from "react-router-dom";

/** The frame of the pages for people not signed in: a card in the middle, no navigation (it would only answer 401). */
export function SignedOutLayout() {
  return (
    <main id="main" className="flex min-h-screen items-start justify-center bg-slate-50 px-4 pt-[12vh]">
      <div className="w-[26rem] max-w-full">
        <div className="mb-6 flex items-center justify-center gap-2 text-xl font-semibold text-cyan-800">
          <span aria-hidden className="inline-block h-6 w-6 rounded bg-gradient-to-b from-cyan-500 to-cyan-800" />
          Sluice
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <Outlet />
        </div>
      </div>
    </main>
  );
}
