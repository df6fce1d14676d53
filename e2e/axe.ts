import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

type Result = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** What each violation is and where, one line per element, so a failure reads without opening a trace. */
function describe(violations: Result[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(" ")} (${n.failureSummary?.replaceAll("\n", " ") ?? v.help})`),
  );
}

/**
 * Runs axe (WCAG 2.2 A and AA rules, and axe's best practices) on the page as it is now and fails the test on any
 * critical or serious violation. `where` names the state checked ("editor, inspector open"), for the failure message.
 * Moderate and minor findings are attached to the test's report rather than failing it.
 */
export async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "critical" || v.impact === "serious");
  const lesser = results.violations.filter((v) => !serious.includes(v));
  if (lesser.length > 0) await test.info().attach(`axe: lesser findings on ${where}`, { body: describe(lesser).join("\n"), contentType: "text/plain" });
  expect(describe(serious), `critical or serious accessibility violations on ${where}`).toEqual([]);
}
