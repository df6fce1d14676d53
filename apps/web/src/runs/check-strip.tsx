import { useState } from "react";
import type { CheckResult } from "@sluice/model";
import { CheckSamples } from "./check-samples.tsx";
import { ruleStatus, ruleStatusLook } from "./check-status.ts";

const chip = {
  passed: "border-emerald-200 bg-emerald-50 text-emerald-800",
  warning: "border-amber-300 bg-amber-50 text-amber-900 hover:bg-amber-100",
  failed: "border-red-300 bg-red-50 text-red-800 hover:bg-red-100",
} as const;

/**
 * A check node's rules as the preview evaluated them, one chip each, above the grid. A failing chip opens
 * the rows that broke the rule, which the grid (all rows) would otherwise hide among the passing ones.
 */
export function CheckStrip({ checks, sampled }: { checks: CheckResult[]; sampled: boolean }) {
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  const open = checks.find((c) => c.ruleIndex === openIndex && !c.passed && c.samples.length > 0);
  return (
    <div role="region" aria-label="Quality checks" className="border-b border-slate-200 text-xs">
      <div className="flex flex-wrap items-center gap-1.5 px-3 py-1.5">
        {checks.length === 0 && <span className="text-slate-500">No rules yet: add them in the inspector.</span>}
        {checks.map((c) => {
          const status = ruleStatus(c);
          const content = (
            <>
              <span aria-hidden>{ruleStatusLook[status].symbol}</span>
              <span className="sr-only">{status}:</span> {c.rule}
              {!c.passed && ` — ${c.message}`}
            </>
          );
          const className = `rounded border px-1.5 py-0.5 ${chip[status]}`;
          const title = `${status} (${c.severity}): ${c.message}`;
          if (c.passed || c.samples.length === 0) {
            return (
              <span key={c.ruleIndex} data-testid="check-chip" data-status={status} className={className} title={title}>
                {content}
              </span>
            );
          }
          const isOpen = open?.ruleIndex === c.ruleIndex;
          return (
            <button
              key={c.ruleIndex}
              type="button"
              data-testid="check-chip"
              data-status={status}
              aria-expanded={isOpen}
              className={`${className} cursor-pointer ${isOpen ? "ring-2 ring-slate-400" : ""}`}
              title={`${title}. Click to ${isOpen ? "hide" : "see"} the failing rows.`}
              onClick={() => setOpenIndex(isOpen ? null : c.ruleIndex)}
            >
              {content}
            </button>
          );
        })}
        {sampled && checks.length > 0 && (
          <span className="text-amber-800" data-testid="checks-sampled">
            Checked on the sample only; a run checks every row.
          </span>
        )}
      </div>
      {open && (
        <div className="max-h-48 overflow-auto px-3 pb-2">
          <CheckSamples samples={open.samples} total={open.failingRows} label={`Failing rows of ${open.rule}`} />
        </div>
      )}
    </div>
  );
}
