import { describe, expect, it } from "vitest";
import { openLineageProblems } from "../testing/openlineage-schemas.ts";

describe("the vendored OpenLineage schemas", () => {
  it("refuse an event without a run id or with a malformed schema facet, so the validation the emitter's tests rely on can fail", () => {
    const base = { eventTime: "2026-12-06T10:00:00Z", producer: "https://example.com", schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", eventType: "START", job: { namespace: "n", name: "j" } };
    expect(openLineageProblems({ ...base, run: { runId: "0b7e7e2a-1d4c-4c36-9a9e-1e0f4b7c5a11" } })).toEqual([]);
    expect(openLineageProblems({ ...base, run: {} }).join("\n")).toMatch(/runId/);
    const badFacet = { ...base, run: { runId: "0b7e7e2a-1d4c-4c36-9a9e-1e0f4b7c5a11" }, outputs: [{ namespace: "n", name: "t", facets: { schema: { _producer: "https://example.com", _schemaURL: "https://x", fields: [{ type: "INT" }] } } }] };
    expect(openLineageProblems(badFacet).join("\n")).toMatch(/name/);
  });
});
