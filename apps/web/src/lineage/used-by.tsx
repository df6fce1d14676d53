import { Link } from "react-router-dom";
import type { DatasetUser } from "./workspace-graph.ts";

/** "Used by": each pipeline that reads or writes a dataset, at its current version, linked to its editor. */
export function UsedBy({ users, label }: { users: readonly DatasetUser[]; label: string }) {
  if (users.length === 0) return <span className="text-slate-500">No pipeline</span>;
  return (
    <ul aria-label={label} className="space-y-0.5">
      {users.map((u) => (
        <li key={`${u.pipelineId} ${u.access}`}>
          <Link className="text-cyan-800 underline" to={`/pipelines/${encodeURIComponent(u.pipelineId)}`}>
            {u.pipelineName}
          </Link>{" "}
          <span className="text-slate-600">
            {u.access === "read" ? "reads" : "writes"} (v{u.version})
          </span>
        </li>
      ))}
    </ul>
  );
}
