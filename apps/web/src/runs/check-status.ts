import type { CheckResult, QualityTrend } from "@sluice/model";
import type { BadgeTone } from "../components/badge.tsx";

export type RuleStatus = "passed" | "warning" | "failed";

/** A failed rule is a warning or a failure by its severity: only "fail" rules stop a run. */
export const ruleStatus = (c: Pick<CheckResult, "passed" | "severity">): RuleStatus => (c.passed ? "passed" : c.severity === "warn" ? "warning" : "failed");

/** A symbol and a tone for each status; the word is always shown beside them, so color is never the only signal. */
export const ruleStatusLook: Record<RuleStatus, { symbol: string; tone: BadgeTone }> = {
  passed: { symbol: "✓", tone: "success" },
  warning: { symbol: "⚠", tone: "warning" },
  failed: { symbol: "✗", tone: "danger" },
};

/** Rule results by check node, nodes in the order their first rule appears, rules in their configured order. */
export function groupByNode(checks: readonly CheckResult[]): { nodeId: string; rules: CheckResult[] }[] {
  const groups = new Map<string, CheckResult[]>();
  for (const c of checks) groups.set(c.nodeId, [...(groups.get(c.nodeId) ?? []), c]);
  return [...groups].map(([nodeId, rules]) => ({ nodeId, rules: [...rules].sort((a, b) => a.ruleIndex - b.ruleIndex) }));
}

type TrendRun = QualityTrend["pipelines"][number]["runs"][number];

/** What a trend square says to people: outcome, how many rules failed, when. */
export function describeTrendRun(r: TrendRun, formatDate: (iso: string) => string): string {
  const when = formatDate(r.createdAt);
  if (r.outcome === "passed") return `passed: all ${r.rules} rule${r.rules === 1 ? "" : "s"}, ${when}`;
  return `${r.outcome}: ${r.failedRules} of ${r.rules} rule${r.rules === 1 ? "" : "s"} failed, ${when}`;
}
