import type { ReactNode } from "react";
import { workspaceSelection } from "../api/workspace-selection.ts";

/**
 * A link that downloads a file from the API. The browser sends the session cookie by itself; a link cannot send the
 * workspace header, so the workspace goes in the query.
 */
export function ApiDownloadLink({ path, filename, className, children }: { path: string; filename: string; className?: string; children: ReactNode }) {
  return (
    <a href={workspaceSelection.withQuery(`/api${path}`)} download={filename} className={className}>
      {children}
    </a>
  );
}
