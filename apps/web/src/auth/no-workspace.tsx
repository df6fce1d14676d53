import { NewWorkspaceForm } from "./new-workspace.dialog.tsx";

/** Shown instead of a page to someone who belongs to no workspace (removed from their last one, or an SSO newcomer). */
export function NoWorkspace() {
  return (
    <div className="max-w-lg">
      <h1 className="mb-2 text-2xl font-semibold">No workspace yet</h1>
      <p className="mb-6 text-sm text-slate-600">
        You are not a member of any workspace. Ask an owner for an invitation link, or start a workspace of your own.
      </p>
      <div className="rounded-lg border border-slate-200 bg-white p-5">
        <NewWorkspaceForm />
      </div>
    </div>
  );
}
