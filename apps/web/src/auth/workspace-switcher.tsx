import { useId } from "react";
import type { Me } from "@sluice/model";
import { workspaceSelection } from "../api/workspace-selection.ts";
import { panelInputClass } from "../components/input-class.ts";

/** Moves this browser to another workspace (and remembers it for the next visit). */
export function switchWorkspace(id: string) {
  workspaceSelection.choose(id);
  // A full load from Home: every list, open pipeline and run stream belonged to the old workspace.
  window.location.assign("/");
}

/** The workspaces the person belongs to, with their role in each. */
export function WorkspaceSwitcher({ me }: { me: Me }) {
  const id = useId();
  if (me.workspaces.length === 0) return <p className="text-slate-500">You are not a member of any workspace.</p>;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        Workspace
      </label>
      <select id={id} className={panelInputClass} value={me.workspace?.id ?? ""} onChange={(e) => switchWorkspace(e.target.value)}>
        {!me.workspace && <option value="">Choose…</option>}
        {me.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
    </div>
  );
}
