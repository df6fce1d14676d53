import { Fragment, useId, useState } from "react";
import type { CheckResult } from "@sluice/model";
import { Badge } from "../components/badge.tsx";
import { DataTable } from "../components/data-table.tsx";
import { CheckSamples } from "./check-samples.tsx";
import { groupByNode, ruleStatus, ruleStatusLook } from "./check-status.ts";
import { formatCount } from "../lib/format-duration.ts";

const rowTint = { passed: "", warning: "bg-amber-50", failed: "bg-red-50" } as const;

/** A run's rule results, one table per check node, each failing rule able to show the rows that broke it. */
export function CheckResults({ checks, label }: { checks: CheckResult[]; label: (nodeId: string) => string }) {
  const failed = checks.filter((c) => ruleStatus(c) === "failed").length;
  const warned = checks.filter((c) => ruleStatus(c) === "warning").length;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600" data-testid="quality-summary">
        {checks.length} rule{checks.length === 1 ? "" : "s"} checked: {checks.length - failed - warned} passed, {warned} warning{warned === 1 ? "" : "s"}, {failed} failed.
      </p>
      {groupByNode(checks).map((g) => (
        <div key={g.nodeId} data-testid={`checks-${g.nodeId}`}>
          <h3 className="mb-1 text-sm font-medium text-slate-800">{label(g.nodeId)}</h3>
          <DataTable
            columns={[{ label: "Status" }, { label: "Rule" }, { label: "Severity" }, { label: "Failing rows", numeric: true }, { label: "Result" }, { label: "Samples", hidden: true }]}
          >
            {g.rules.map((c) => (
              <RuleRow key={c.ruleIndex} check={c} />
            ))}
          </DataTable>
        </div>
      ))}
    </div>
  );
}

function RuleRow({ check: c }: { check: CheckResult }) {
  const [open, setOpen] = useState(false);
  const samplesId = useId();
  const status = ruleStatus(c);
  const look = ruleStatusLook[status];
  // A row-count rule judges the whole input, so it has no failing rows to count or show.
  const counts = c.kind === "row_count" ? `${formatCount(c.rowsChecked)} rows` : `${formatCount(c.failingRows)} of ${formatCount(c.rowsChecked)}`;
  const canExpand = !c.passed && c.samples.length > 0;
  return (
    <Fragment>
      <tr data-testid="check-row" data-status={status} className={rowTint[status]}>
        <td className="px-3 py-1.5 whitespace-nowrap">
          <Badge tone={look.tone}>
            <span aria-hidden>{look.symbol}</span> {status}
          </Badge>
        </td>
        <td className="px-3 py-1.5 font-mono text-xs">{c.rule}</td>
        <td className="px-3 py-1.5 text-slate-600" title={c.severity === "fail" ? "Stops the run before anything is written" : "Recorded; the run goes on"}>
          {c.severity}
        </td>
        <td className="px-3 py-1.5 text-right tabular-nums" data-testid="check-counts">
          {counts}
        </td>
        <td className="px-3 py-1.5">{c.message}</td>
        <td className="px-3 py-1.5 text-right">
          {canExpand && (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={open ? samplesId : undefined}
              onClick={() => setOpen((o) => !o)}
              className="text-xs whitespace-nowrap text-cyan-800 hover:underline"
            >
              {open ? "Hide failing rows" : "Show failing rows"}
            </button>
          )}
        </td>
      </tr>
      {canExpand && open && (
        <tr id={samplesId} className={rowTint[status]}>
          <td colSpan={6} className="px-3 pb-3">
            <CheckSamples samples={c.samples} total={c.failingRows} label={`Failing rows of ${c.rule}`} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
