import { useInfiniteQuery } from "@tanstack/react-query";
import { auditPageSchema } from "@sluice/model";
import { api } from "./client.ts";
import { workspaceSelection } from "./workspace-selection.ts";
import { auditQueryParams, type AuditFilters } from "../audit/audit-filters.ts";

const PAGE = 100;

/** The audit log, newest first, a page at a time: each page continues before the last event of the one above. */
export const useAuditEvents = (filters: AuditFilters, enabled: boolean) =>
  useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam }) =>
      api("GET", `/audit?${auditQueryParams(filters, { limit: String(PAGE), ...(pageParam ? { before: pageParam } : {}) })}`, auditPageSchema),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
    enabled,
  });

/** A link to every matching event as NDJSON; a link sends no header, so it names the workspace in the query. */
export const auditExportHref = (filters: AuditFilters) => workspaceSelection.withQuery(`/api/audit?${auditQueryParams(filters, { format: "ndjson" })}`);
