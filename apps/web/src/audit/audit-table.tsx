import type { AuditEvent } from "@sluice/model";
import { DataTable } from "../components/data-table.tsx";
import { formatDateTime } from "../lib/format-time.ts";

/** Who, as the log recorded them: a token or the system is marked, so it is not mistaken for a person. */
function who(e: AuditEvent): string {
  switch (e.actorKind) {
    case "person":
      return e.actorLabel;
    case "token":
      return `API token “${e.actorLabel}”`;
    case "system":
      return "Sluice";
    case "anonymous":
      return e.actorLabel ? `${e.actorLabel} (not signed in)` : "not signed in";
    default: {
      const never: never = e.actorKind;
      return never;
    }
  }
}

/** Extra facts of an event, e.g. "version 4" or "role editor → viewer", as short text. */
function detailsText(details: AuditEvent["details"]): string {
  if (!details) return "";
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <DataTable columns={[{ label: "When" }, { label: "Who" }, { label: "From address" }, { label: "Action" }, { label: "Resource" }, { label: "Details" }]}>
      {events.map((e) => (
        <tr key={e.id} data-testid="audit-row">
          <td className="px-3 py-2 whitespace-nowrap text-slate-600" title={e.at}>
            {formatDateTime(e.at)}
          </td>
          <td className="px-3 py-2">{who(e)}</td>
          <td className="px-3 py-2 font-mono text-xs text-slate-600">{e.address ?? ""}</td>
          <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
          <td className="px-3 py-2" title={e.resourceId ?? undefined}>
            {e.resourceType && <span className="text-slate-500">{e.resourceType} </span>}
            {e.resourceLabel ?? e.resourceId ?? ""}
          </td>
          <td className="px-3 py-2 text-xs text-slate-600">{detailsText(e.details)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
