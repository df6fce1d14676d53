import { useEffect, useId, useRef, useState } from "react";
import type { Me } from "@sluice/model";
import { useSignOut, useSignOutEverywhere } from "../api/auth.queries.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { ChangePasswordDialog } from "./change-password.dialog.tsx";
import { NewWorkspaceDialog } from "./new-workspace.dialog.tsx";
import { WorkspaceSwitcher } from "./workspace-switcher.tsx";

/** Who is signed in and where, at the foot of the navigation: switch workspace, change password, sign out. */
export function AccountMenu({ me, compact }: { me: Me; compact: boolean }) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<"password" | "workspace" | null>(null);
  const panelId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const signOut = useSignOut();
  const signOutEverywhere = useSignOutEverywhere();
  const name = me.actor.kind === "person" ? me.actor.name || me.actor.email : me.actor.name;

  // Closes on a click elsewhere or Escape, as menus do; the dialogs it opens live outside it.
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    const escape = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);

  // A full load, not a route change: nothing of this session (cached lists, an open pipeline) survives in memory.
  const leave = () => window.location.assign("/sign-in");
  const openDialog = (d: "password" | "workspace") => {
    setOpen(false);
    setDialog(d);
  };

  return (
    <div ref={ref} className="relative mt-4 border-t border-slate-200 pt-3">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Account: ${name}`}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-2 rounded-md px-1 py-1 text-left text-sm text-slate-700 hover:bg-slate-100"
      >
        <span aria-hidden className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-cyan-100 text-xs font-semibold text-cyan-900">
          {initials(name)}
        </span>
        {!compact && (
          <span className="min-w-0">
            <span className="block truncate font-medium">{name}</span>
            <span className="block truncate text-xs text-slate-500">{me.workspace ? `${me.workspace.name} · ${me.workspace.role}` : "No workspace"}</span>
          </span>
        )}
      </button>
      {open && (
        <div id={panelId} className="absolute bottom-full left-0 z-40 mb-2 w-72 space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg">
          <p className="text-slate-600">
            Signed in as <span className="font-medium text-slate-900">{name}</span>
            {me.actor.kind === "person" && me.actor.name && <span className="block truncate text-xs">{me.actor.email}</span>}
          </p>
          <WorkspaceSwitcher me={me} />
          <div className="flex flex-col items-start gap-1 border-t border-slate-100 pt-2">
            <Button variant="ghost" onClick={() => openDialog("workspace")}>
              New workspace
            </Button>
            {me.actor.kind === "person" && (
              <Button variant="ghost" onClick={() => openDialog("password")}>
                Change password
              </Button>
            )}
            <Button variant="ghost" disabled={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSuccess: leave })}>
              Sign out
            </Button>
            <Button
              variant="ghost"
              disabled={signOutEverywhere.isPending}
              title="Ends every session of your account, on every browser"
              onClick={() => signOutEverywhere.mutate(undefined, { onSuccess: leave })}
            >
              Sign out everywhere
            </Button>
          </div>
          {(signOut.error ?? signOutEverywhere.error) && <ErrorBanner error={signOut.error ?? signOutEverywhere.error} />}
        </div>
      )}
      <ChangePasswordDialog open={dialog === "password"} onClose={() => setDialog(null)} />
      <NewWorkspaceDialog open={dialog === "workspace"} onClose={() => setDialog(null)} />
    </div>
  );
}

function initials(name: string): string {
  const parts = name.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts[1]?.[0] ?? "")).toUpperCase();
}
