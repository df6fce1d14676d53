import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { endpointUrl } from "./openlineage-settings.ts";

describe("OPENLINEAGE_* settings", () => {
  it("are off without OPENLINEAGE_URL, and an empty value counts as unset", () => {
    expect(loadConfig({}).openLineage).toBeUndefined();
    expect(loadConfig({ OPENLINEAGE_URL: "" }).openLineage).toBeUndefined();
  });

  it("post to OPENLINEAGE_URL + api/v1/lineage in namespace sluice unless told otherwise, as OpenLineage's clients do", () => {
    expect(loadConfig({ OPENLINEAGE_URL: "http://marquez:5000" }).openLineage).toEqual({ endpoint: "http://marquez:5000/api/v1/lineage", apiKey: undefined, namespace: "sluice", timeoutMs: 5000 });
    expect(
      loadConfig({ OPENLINEAGE_URL: "https://gms.example.com/openapi/openlineage/", OPENLINEAGE_API_KEY: "t0k.en", OPENLINEAGE_NAMESPACE: " prod ", OPENLINEAGE_TIMEOUT_SECONDS: "1.5" }).openLineage,
    ).toEqual({ endpoint: "https://gms.example.com/openapi/openlineage/api/v1/lineage", apiKey: "t0k.en", namespace: "prod", timeoutMs: 1500 });
    expect(loadConfig({ OPENLINEAGE_URL: "http://h/events", OPENLINEAGE_ENDPOINT: "" }).openLineage?.endpoint).toBe("http://h/events");
    expect(endpointUrl("http://h:1/prefix/", "/api/v1/openlineage/lineage")).toBe("http://h:1/prefix/api/v1/openlineage/lineage");
  });

  it("refuse what would not work, saying what to set", () => {
    expect(() => loadConfig({ OPENLINEAGE_URL: "marquez:5000" })).toThrow(/OPENLINEAGE_URL: an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ OPENLINEAGE_URL: "http://u:p@marquez:5000" })).toThrow(/OPENLINEAGE_URL: no user or password in the URL/);
    expect(() => loadConfig({ OPENLINEAGE_URL: "http://m", OPENLINEAGE_API_KEY: "two words" })).toThrow(/OPENLINEAGE_API_KEY: printable characters without spaces/);
    expect(() => loadConfig({ OPENLINEAGE_API_KEY: "k" })).toThrow(/OPENLINEAGE_URL: set it too/);
    expect(() => loadConfig({ OPENLINEAGE_URL: "http://m", OPENLINEAGE_TIMEOUT_SECONDS: "0" })).toThrow(/OPENLINEAGE_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ OPENLINEAGE_URL: "http://m", OPENLINEAGE_ENDPOINT: "api?x=1" })).toThrow(/OPENLINEAGE_ENDPOINT/);
  });
});
