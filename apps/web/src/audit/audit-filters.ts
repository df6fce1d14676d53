/** The audit page's filters as typed: dates are days (yyyy-mm-dd) in the viewer's time zone; blank means any. */
export interface AuditFilters {
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string;
  from: string;
  to: string;
}

export const noAuditFilters: AuditFilters = { actor: "", action: "", resourceType: "", resourceId: "", from: "", to: "" };

/** The start of a local day, or the last millisecond of it, as the instant the API compares with. */
function dayBound(day: string, end: boolean): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = end ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999) : new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The query of GET /api/audit for these filters (blank ones left out); `to` includes the whole day. */
export function auditQueryParams(f: AuditFilters, extra: Record<string, string> = {}): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of ["actor", "action", "resourceType", "resourceId"] as const) {
    const v = f[key].trim();
    if (v) q.set(key, v);
  }
  const from = dayBound(f.from, false);
  const to = dayBound(f.to, true);
  if (from) q.set("from", from);
  if (to) q.set("to", to);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q;
}
