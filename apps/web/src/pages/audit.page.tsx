import { useState } from "react";
import { auditExportHref, useAuditEvents } from "../api/audit.queries.ts";
import { useMembers } from "../api/members.queries.ts";
import { AuditFiltersForm } from "../audit/audit-filters-form.tsx";
import { noAuditFilters, type AuditFilters } from "../audit/audit-filters.ts";
import { AuditTable } from "../audit/audit-table.tsx";
import { useCan } from "../auth/use-can.ts";
import { Button } from "../components/button.tsx";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";

/** The workspace's audit log: who did what, when and from where; filtered, paged, exported as NDJSON. Read-only. */
export function AuditPage() {
  const read = useCan("audit.read");
  const [filters, setFilters] = useState<AuditFilters>(noAuditFilters);
  const events = useAuditEvents(filters, read.allowed);
  const members = useMembers();
  const people = members.data?.members.map((m) => m.email) ?? [];
  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <div className="max-w-6xl space-y-4">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="text-sm text-slate-600">Every change, run and sign-in in this workspace, newest first. Entries cannot be edited or deleted.</p>
        </div>
        {read.allowed && (
          <a href={auditExportHref(filters)} download="sluice-audit.ndjson" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
            Export NDJSON
          </a>
        )}
      </div>
      {!read.allowed ? (
        <p className="text-sm text-slate-600">{read.reason}</p>
      ) : (
        <>
          <AuditFiltersForm people={people} onApply={setFilters} />
          {events.isPending ? (
            <Spinner label="Loading the audit log" />
          ) : events.error ? (
            <ErrorBanner error={events.error} action={<Button onClick={() => void events.refetch()}>Try again</Button>} />
          ) : rows.length === 0 ? (
            <EmptyState title="No events match these filters." />
          ) : (
            <>
              <AuditTable events={rows} />
              {events.hasNextPage && (
                <Button disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
                  {events.isFetchingNextPage ? "Loading…" : "Load more"}
                </Button>
              )}
            </>
          )}
        </>
      )}
    </div>
  );
}
